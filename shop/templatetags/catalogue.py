"""Display helpers for catalogue templates: no queries, no prices."""

from django import template

register = template.Library()


@register.filter
def children_of(tree, category):
    """The visible subcategories of `category` in a `selectors.CategoryTree`."""
    if tree is None or category is None:
        return []
    return tree.children.get(category.pk, [])


@register.filter
def page_links(page):
    """`(number, is_gap)` pairs for the page links, with gaps: 1 … 4 5 6 … 20."""
    if page is None:
        return []
    paginator = page.paginator
    return [
        (number, number == paginator.ELLIPSIS)
        for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
