"""Helpers of the shared cart tests: share the client's cart and read the link back."""

import re

from django.test import Client


def share(client: Client, **data) -> str:
    """Share the client's cart; the path of the new link (shown once on the page)."""
    response = client.post("/cart/shared/", data)
    assert response.status_code == 200, response.content.decode()[:2000]
    url = re.search(r'id="share-link"[^>]*value="([^"]+)"', response.content.decode()).group(1)
    return re.sub(r"^https?://[^/]+", "", url)
