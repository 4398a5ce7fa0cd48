"""The sales reports page, /admin/reports/, for staff who may view orders (`shop.view_order`):
a period, a chart of net sales per day by customer group, and tables by customer group,
company, product and category, each downloadable as CSV (`?table=groups&format=csv`)."""

import csv

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import spreadsheet_safe

from . import selectors
from .chart import sales_chart
from .forms import PeriodForm

VIEW_ORDERS = "shop.view_order"
DEFAULT_PRESET = "this_month"
TABLES = {
    "groups": (_("Sales by customer group"), _("Customer group")),
    "companies": (_("Sales by company"), _("Company")),
    "products": (_("Sales by product"), _("Product")),
    "categories": (_("Sales by category"), _("Category")),
}
# Each pair of tables is read together (a few aggregate queries for both).
READERS = {
    "groups": (selectors.order_tables, "groups"),
    "companies": (selectors.order_tables, "companies"),
    "products": (selectors.line_tables, "products"),
    "categories": (selectors.line_tables, "categories"),
}
FIGURES = (_("Orders"), _("Quantity"), _("Net"), _("VAT"), _("Gross"), _("Refunded"))
# Products and companies may run to thousands of rows: the page shows the largest, the CSV all.
SHOWN_ROWS = 50


def sales_reports(request):
    if not request.user.has_perm(VIEW_ORDERS):
        raise PermissionDenied
    form = PeriodForm(request.GET if request.GET.keys() - {"format", "table"} else None)
    if not form.is_bound:
        form = PeriodForm({"preset": DEFAULT_PRESET})
    period = form.period if form.is_valid() else None
    if period is not None and form.cleaned_data["preset"]:
        form = PeriodForm(  # the preset's dates in the fields, to adjust from there
            {
                "preset": form.cleaned_data["preset"],
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
            }
        )
        form.is_valid()
    wants_csv = request.GET.get("format") == "csv"
    if wants_csv and request.GET.get("table") not in TABLES:
        raise Http404
    if wants_csv and period is not None:
        return _csv(request.GET["table"], period)
    context = {
        **admin.site.each_context(request),
        "title": _("Sales reports"),
        "form": form,
        "presets": [(key, label) for key, (label, _period) in form.presets.items()],
        "period": period,
        "figures": FIGURES,
    }
    if period is not None:
        context["chart"] = sales_chart(selectors.daily_sales_by_group(period))
        tables = _read_tables(period, TABLES)
        context["tables"] = [
            _table_context(key, tables[key], period, form.cleaned_data) for key in TABLES
        ]
    request.current_app = admin.site.name
    return TemplateResponse(request, "admin/reports/sales.html", context)


def _read_tables(period, keys) -> dict[str, selectors.SalesTable]:
    read = {}
    tables = {}
    for key in keys:
        reader, name = READERS[key]
        if reader not in read:
            read[reader] = reader(period)
        tables[key] = getattr(read[reader], name)
    return tables


def _table_context(key, table, period, cleaned_data) -> dict:
    title, column = TABLES[key]
    query = {"table": key, "format": "csv"}
    if cleaned_data.get("preset"):
        query["preset"] = cleaned_data["preset"]
    else:
        query.update(start=period.start.isoformat(), end=period.end.isoformat())
    return {
        "key": key,
        "title": title,
        "column": column,
        "rows": table.rows[:SHOWN_ROWS],
        "hidden_rows": max(0, len(table.rows) - SHOWN_ROWS),
        "total": table.total,
        "csv_query": query,
    }


def _csv(key: str, period: selectors.Period) -> HttpResponse:
    column = TABLES[key][1]
    table = _read_tables(period, [key])[key]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"sales-{key}-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    header = [str(column)]
    if key == "products":
        header.insert(0, str(_("SKU")))
    header += [str(name) for name in FIGURES]
    writer.writerow(header)
    for row in table.rows:
        cells = [spreadsheet_safe(row.label)]
        if key == "products":
            cells.insert(0, spreadsheet_safe(row.code))
        writer.writerow(
            cells + [row.orders, row.quantity, row.net, row.vat, row.gross, row.refunded]
        )
    return response
