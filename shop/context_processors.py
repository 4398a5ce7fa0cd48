from django.conf import settings


def shop(request):
    return {
        "shop_name": settings.SHOP_NAME,
        "search_query": request.GET.get("q", "")[:200] if request.path == "/search/" else "",
    }
