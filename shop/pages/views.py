from django.http import Http404
from django.shortcuts import render

from shop.seller import selectors as seller_selectors

from . import selectors
from .models import PageKind


def page_detail(request, slug):
    page = selectors.page_for(slug=slug)
    if page is None:
        raise Http404
    return render(
        request,
        "shop/pages/page.html",
        {
            "page": page,
            "title_language": selectors.shown_language(page, "title"),
            "body_language": selectors.shown_language(page, "body"),
            "is_legal_notice": page.kind == PageKind.LEGAL_NOTICE,
            "details": seller_selectors.shop_details(),
        },
    )
