import pytest


@pytest.fixture(autouse=True)
def _footer_loaded(request):
    """The footer's shop details and legal links are read once, then cached until a manager
    saves them (shop.seller, shop.pages). The cache is cleared before each test; the catalogue
    tests count the queries of a running shop's pages, so they start with the footer loaded."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("_django_db_helper")
    from shop.pages.selectors import published_pages
    from shop.seller.selectors import shop_details

    published_pages()
    shop_details()
