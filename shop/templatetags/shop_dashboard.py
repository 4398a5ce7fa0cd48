from django import template

from shop.reports.dashboard import dashboard_for

register = template.Library()


@register.inclusion_tag("admin/reports/_dashboard.html", takes_context=True)
def shop_dashboard(context):
    """The managers' dashboard of the admin index, for the staff member viewing it."""
    return {"dashboard": dashboard_for(context["request"].user)}
