"""Invoices and credit notes as PDF (fpdf2), drawn from the document stored at issue only.

Every text is drawn in the embedded DejaVu Sans (fonts/, subset into each PDF), shaped by
HarfBuzz: Latin, Greek, Cyrillic and Arabic print as typed, labels are in the reader's
language, and a right-to-left language mirrors the layout."""

import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from core.money import format_money, format_rate

FONT = "DejaVuSans"
FONTS = Path(__file__).resolve().parent / "fonts"
MIRRORED = {"L": "R", "R": "L"}


def safe_text(value) -> str:
    """`value` as one string, control characters (tabs, carriage returns...) as spaces."""
    text = unicodedata.normalize("NFC", str(value or ""))
    return "".join(
        " " if char != "\n" and unicodedata.category(char) == "Cc" else char for char in text
    )


def _isolated(value) -> str:
    """`value` kept in its own direction inside a right-to-left sentence: without the
    isolate, the bidi algorithm reads "2026-000001" after an Arabic word as 000001-2026."""
    return f"\u2068{value}\u2069" if translation.get_language_bidi() else str(value)


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _date(value: str) -> str:
    return date.fromisoformat(value).strftime("%d/%m/%Y") if value else ""


def _money(value, currency: str) -> str:
    return format_money(Decimal(value), currency=currency)


class _Document(FPDF):
    def __init__(self, title: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
        self.set_text_shaping(True)  # each string's own direction (bidi) and Arabic joining
        self.rtl = translation.get_language_bidi()
        self.set_title(safe_text(title))
        self.set_creator("Comptoir")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(16, 16, 16)
        self.alias_nb_pages()
        self.add_page()

    def align(self, align: str) -> str:
        """`align` as read in the document's direction: a right-to-left page mirrors it."""
        return MIRRORED.get(align, align) if self.rtl else align

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, size=7)
        self.cell(
            0,
            5,
            safe_text(_("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}),
            align="C",
        )

    def text_block(self, width: float, lines: list[str], *, size: float = 9, bold_first=False):
        for index, line in enumerate(line for line in lines if line):
            self.set_font(FONT, "B" if bold_first and index == 0 else "", size)
            self.multi_cell(
                width,
                4.6,
                safe_text(line),
                align=self.align("L"),
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )

    def fitted(self, text: str, width: float) -> str:
        """`text` cut short with an ellipsis when it is wider than its column."""
        if self.get_string_width(text) <= width - 2:
            return text
        while text and self.get_string_width(text + "…") > width - 2:
            text = text[:-1]
        return text + "…"

    def header_row(self, cells: list[tuple[float, str, str]]):
        """A table's header row, shaded; a label wider than its column wraps onto more lines."""
        self.set_font(FONT, "B", 8.5)
        cells = list(reversed(cells)) if self.rtl else cells
        lines = max(
            len(self.multi_cell(width, 4.2, safe_text(text), dry_run=True, output="LINES"))
            for width, text, _align in cells
        )
        x, top, height = self.get_x(), self.get_y(), lines * 4.2 + 1.8
        self.rect(x, top, sum(width for width, _text, _align in cells), height, style="F")
        for width, text, align in cells:
            self.set_xy(x, top + 0.9)
            self.multi_cell(width, 4.2, safe_text(text), align=self.align(align))
            x += width
        self.set_xy(self.l_margin, top + height)
        self.line(self.l_margin, top + height, x, top + height)

    def row(self, cells: list[tuple[float, str, str]], *, bold=False, size=8.5):
        """One table row; a right-to-left page reads its columns from the right."""
        self.set_font(FONT, "B" if bold else "", size)
        for width, text, align in reversed(cells) if self.rtl else cells:
            self.cell(
                width,
                6,
                self.fitted(safe_text(text), width),
                border="B",
                align=self.align(align),
            )
        self.ln(6)


def _party_lines(party: dict, *, seller: bool) -> list[str]:
    lines = [party.get("legal_name") if seller else party.get("name")]
    if not seller and party.get("company"):
        lines = [party["company"], party.get("name")]
    if seller and party.get("legal_form"):
        lines.append(party["legal_form"])
    lines += list(party.get("address") or [])
    if party.get("country"):
        lines.append(str(countries.name(party["country"]) or party["country"]))
    if party.get("vat_id"):
        lines.append(_("VAT number: %(number)s") % {"number": _isolated(party["vat_id"])})
    if seller and party.get("registration_number"):
        lines.append(party["registration_number"])
    if party.get("email"):
        lines.append(party["email"])
    if seller and party.get("phone"):
        lines.append(party["phone"])
    return lines


def _head(pdf: _Document, document: dict, title: str, meta: list[tuple[str, str]]):
    seller, buyer = document["seller"], document["buyer"]
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    first, second = (
        (pdf.l_margin + width, pdf.l_margin) if pdf.rtl else (pdf.l_margin, pdf.l_margin + width)
    )
    top = pdf.get_y()
    for index, line in enumerate(line for line in _party_lines(seller, seller=True) if line):
        pdf.set_x(first)
        pdf.set_font(FONT, "" if index else "B", 9)
        pdf.multi_cell(width - 4, 4.6, safe_text(line), align=pdf.align("L"), new_y=YPos.NEXT)
    seller_bottom = pdf.get_y()
    pdf.set_xy(second, top)
    pdf.set_font(FONT, "B", 16)
    pdf.cell(width, 8, safe_text(title), align=pdf.align("L"), new_x=XPos.LEFT, new_y=YPos.NEXT)
    for label, value in meta:
        pdf.set_x(second)
        pdf.set_font(FONT, "", 9)
        text = safe_text(f"{label}: {_isolated(value)}")
        pdf.cell(width, 5, text, align=pdf.align("L"), new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_y(max(seller_bottom, pdf.get_y()) + 6)
    pdf.set_font(FONT, "B", 10)
    pdf.cell(
        0, 6, safe_text(_("Billed to")), align=pdf.align("L"), new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.text_block(width * 2, _party_lines(buyer, seller=False))
    pdf.ln(4)


def _lines(pdf: _Document, document: dict):
    currency = document["currency"]
    full = pdf.w - pdf.l_margin - pdf.r_margin
    widths = (full - 90, 14, 28, 18, 30)
    pdf.set_fill_color(235, 235, 235)
    pdf.header_row(
        [
            (widths[0], _("Description"), "L"),
            (widths[1], _("Qty"), "R"),
            (widths[2], _("Unit price (net)"), "R"),
            (widths[3], _("VAT"), "R"),
            (widths[4], _("Amount (net)"), "R"),
        ]
    )
    goods = [line for line in document["lines"] if line.get("sku")]
    others = [line for line in document["lines"] if not line.get("sku")]  # shipping
    for line in goods:
        _line_row(pdf, widths, line, currency)
    discount = sum((Decimal(line.get("discount") or 0) for line in goods), Decimal("0"))
    if discount:
        name = document.get("discount_name") or _("Discount")
        pdf.row([(full - widths[4], name, "L"), (widths[4], _money(-discount, currency), "R")])
    for line in others:
        _line_row(pdf, widths, line, currency)


def _line_row(pdf: _Document, widths, line: dict, currency: str):
    description = line["description"]
    if line.get("sku"):
        description = f"{description} ({line['sku']})"
    pdf.row(
        [
            (widths[0], description, "L"),
            (widths[1], str(line["quantity"]), "R"),
            (widths[2], _money(line["unit_price"], currency), "R"),
            (widths[3], format_rate(line["tax_rate"]), "R"),
            (widths[4], _money(line["amount"], currency), "R"),
        ]
    )


def _vat_and_totals(pdf: _Document, document: dict, total_label: str):
    currency = document["currency"]
    pdf.ln(4)
    widths = (40, 40, 40, 40)
    pdf.header_row(
        [
            (widths[0], _("VAT rate"), "L"),
            (widths[1], _("Net"), "R"),
            (widths[2], _("VAT"), "R"),
            (widths[3], _("Gross"), "R"),
        ]
    )
    for row in document["vat_rows"]:
        gross = Decimal(row["net"]) + Decimal(row["tax"])
        pdf.row(
            [
                (widths[0], format_rate(row["rate"]), "L"),
                (widths[1], _money(row["net"], currency), "R"),
                (widths[2], _money(row["tax"], currency), "R"),
                (widths[3], _money(gross, currency), "R"),
            ]
        )
    pdf.ln(3)
    for label, key, bold in (
        (_("Total net"), "net_total", False),
        (_("Total VAT"), "tax_total", False),
        (total_label, "total", True),
    ):
        pdf.set_x(pdf.l_margin if pdf.rtl else pdf.w - pdf.r_margin - 90)
        pdf.row([(60, label, "L"), (30, _money(document[key], currency), "R")], bold=bold)
    pdf.ln(3)
    if document.get("vat_mention"):
        pdf.text_block(0, [document["vat_mention"]], size=9, bold_first=True)


def _foot(pdf: _Document, lines: list[str]):
    pdf.ln(3)
    pdf.text_block(0, lines, size=8.5)


def invoice_pdf(invoice) -> bytes:
    """The invoice as issued, as PDF bytes."""
    document = invoice.document
    with translation.override(_language()):
        title = _("Invoice %(number)s") % {"number": _isolated(document["number"])}
        pdf = _Document(title)
        payment = document.get("payment") or {}
        meta = [
            (_("Invoice number"), document["number"]),
            (_("Issue date"), _date(document["issue_date"])),
            (_("Order"), f"{document['order_number']} ({_date(document['order_date'])})"),
            (_("Payment"), payment.get("label", "")),
        ]
        if payment.get("due_date"):
            meta.append((_("Due date"), _date(payment["due_date"])))
        _head(pdf, document, title, meta)
        _lines(pdf, document)
        _vat_and_totals(pdf, document, _("Total due"))
        foot = []
        bank = document["seller"].get("bank")
        if payment.get("bank_transfer") and bank:
            foot.append(
                _("Pay by bank transfer to %(bank)s IBAN %(iban)s BIC %(bic)s")
                % {
                    "bank": _isolated(bank.get("name") or ""),
                    "iban": _isolated(bank["iban"]),
                    "bic": _isolated(bank["bic"]),
                }
            )
        if payment.get("reference"):
            foot.append(
                _("Payment reference: %(reference)s")
                % {"reference": _isolated(payment["reference"])}
            )
        foot.append(_("Amounts in %(currency)s.") % {"currency": _isolated(document["currency"])})
        if document["seller"].get("invoice_notes"):
            foot.append(document["seller"]["invoice_notes"])
        _foot(pdf, foot)
        return bytes(pdf.output())


def credit_note_pdf(credit_note) -> bytes:
    """The credit note as issued, as PDF bytes."""
    document = credit_note.document
    with translation.override(_language()):
        title = _("Credit note %(number)s") % {"number": _isolated(document["number"])}
        pdf = _Document(title)
        meta = [
            (_("Credit note number"), document["number"]),
            (_("Issue date"), _date(document["issue_date"])),
            (
                _("Invoice credited"),
                f"{document['invoice_number']} ({_date(document['invoice_date'])})",
            ),
            (_("Order"), document["order_number"]),
        ]
        _head(pdf, document, title, meta)
        if document["reason"] == "cancellation":
            reason = _("Cancellation of invoice %(number)s: the whole of its remaining amount.")
        else:
            reason = _("Refund on invoice %(number)s.")
        pdf.text_block(
            0, [reason % {"number": _isolated(document["invoice_number"])}, document.get("note")]
        )
        pdf.ln(2)
        if document["lines"]:
            _lines(pdf, document)
        _vat_and_totals(pdf, document, _("Total credited"))
        _foot(pdf, [_("Amounts in %(currency)s.") % {"currency": _isolated(document["currency"])}])
        return bytes(pdf.output())
