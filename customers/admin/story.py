"""The customer's story on his page in the admin: what the viewer's permissions allow of
`shop.reports.customers.customer_story`, with the links to the admin pages it summarises."""

from urllib.parse import urlencode

from django.urls import reverse

from shop.reports.customers import StoryParts, customer_story

STORY_ANCHOR = "customer-story"


def story_parts_for(viewer) -> StoryParts:
    return StoryParts(
        orders=viewer.has_perm("shop.view_order"),
        applications=viewer.has_perm("customers.view_wholesaleapplication"),
        approvals=viewer.has_perm("shop.view_orderapproval"),
        saved_lists=viewer.has_perm("shop.view_savedlist"),
        company=viewer.has_perm("customers.view_company"),
        quotes=viewer.has_perm("shop.view_quote"),
    )


def _changelist(name: str, **query) -> str:
    return f"{reverse(f'admin:{name}_changelist')}?{urlencode(query)}"


def story_context(*, viewer, user) -> dict:
    """The template's `story` and the filtered admin lists it links to."""
    story = customer_story(user=user, parts=story_parts_for(viewer))
    return {
        "story": story,
        "story_anchor": STORY_ANCHOR,
        "story_orders_url": _changelist("shop_order", user__id__exact=user.pk),
        "story_approvals_url": _changelist("shop_orderapproval", buyer__id__exact=user.pk),
        "story_saved_lists_url": _changelist("shop_savedlist", owner__id__exact=user.pk),
        "story_quotes_url": _changelist("shop_quote", buyer__id__exact=user.pk),
    }
