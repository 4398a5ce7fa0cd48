"""Invoices and credit notes as PDF (fpdf2), drawn from the document stored at issue only.

The PDF uses fpdf2's core Helvetica, which covers Windows-1252 (Western European letters and
the euro sign). Other text degrades without failing: accents are dropped where a letter
decomposes (ő -> o), a few letters are spelled out (Ł -> L), anything else becomes "?".
Labels are printed in the reader's language when it is written in that script, else in the
site's default language."""

import unicodedata
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from core.money import format_money, format_rate

ENCODING = "windows-1252"
SPELLED = {
    "Ł": "L",
    "ł": "l",
    "Đ": "D",
    "đ": "d",
    "Ħ": "H",
    "ħ": "h",
    "ı": "i",
    "Ŧ": "T",
    "ŧ": "t",
    "\u2009": " ",
    "\u202f": " ",
    "\u2212": "-",
}


def _encodable(char: str) -> bool:
    try:
        char.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def safe_text(value) -> str:
    """`value` in characters the core font can print (see the module's docstring)."""
    text = unicodedata.normalize("NFC", str(value or ""))
    out = []
    for char in text:
        if char in "\r\t":
            out.append(" ")
        elif char == "\n" or _encodable(char):
            out.append(char)
        elif char in SPELLED:
            out.append(SPELLED[char])
        else:
            parts = [
                part
                for part in unicodedata.normalize("NFKD", char)
                if not unicodedata.combining(part) and _encodable(part)
            ]
            out.append("".join(parts) or "?")
    return "".join(out)


def _language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        printable = all(_encodable(char) for char in _("Invoice") + _("Credit note"))
    return language if printable else settings.LANGUAGE_CODE


def _date(value: str) -> str:
    return date.fromisoformat(value).strftime("%d/%m/%Y") if value else ""


def _money(value, currency: str) -> str:
    return format_money(Decimal(value), currency=currency)


class _Document(FPDF):
    def __init__(self, title: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.core_fonts_encoding = ENCODING
        self.set_title(safe_text(title))
        self.set_creator("Comptoir")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(16, 16, 16)
        self.alias_nb_pages()
        self.add_page()

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", size=7)
        self.cell(
            0,
            5,
            safe_text(_("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}),
            align="C",
        )

    def text_block(self, width: float, lines: list[str], *, size: float = 9, bold_first=False):
        for index, line in enumerate(line for line in lines if line):
            self.set_font("Helvetica", "B" if bold_first and index == 0 else "", size)
            self.multi_cell(width, 4.6, safe_text(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def fitted(self, text: str, width: float) -> str:
        """`text` cut short with an ellipsis when it is wider than its column."""
        if self.get_string_width(text) <= width - 2:
            return text
        while text and self.get_string_width(text + "…") > width - 2:
            text = text[:-1]
        return text + "…"

    def row(self, cells: list[tuple[float, str, str]], *, bold=False, size=8.5, fill=False):
        self.set_font("Helvetica", "B" if bold else "", size)
        for width, text, align in cells:
            self.cell(
                width, 6, self.fitted(safe_text(text), width), border="B", align=align, fill=fill
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
        lines.append(_("VAT number: %(number)s") % {"number": party["vat_id"]})
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
    top = pdf.get_y()
    pdf.text_block(width - 4, _party_lines(seller, seller=True), bold_first=True)
    left_bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + width, top)
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(width, 8, safe_text(title), new_x=XPos.LEFT, new_y=YPos.NEXT)
    for label, value in meta:
        pdf.set_x(pdf.l_margin + width)
        pdf.set_font("Helvetica", "", 9)
        pdf.cell(width, 5, safe_text(f"{label}: {value}"), new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_y(max(left_bottom, pdf.get_y()) + 6)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 6, safe_text(_("Billed to")), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.text_block(width * 2, _party_lines(buyer, seller=False))
    pdf.ln(4)


def _lines(pdf: _Document, document: dict):
    currency = document["currency"]
    full = pdf.w - pdf.l_margin - pdf.r_margin
    widths = (full - 90, 14, 28, 18, 30)
    pdf.set_fill_color(235, 235, 235)
    pdf.row(
        [
            (widths[0], _("Description"), "L"),
            (widths[1], _("Qty"), "R"),
            (widths[2], _("Unit price (net)"), "R"),
            (widths[3], _("VAT"), "R"),
            (widths[4], _("Amount (net)"), "R"),
        ],
        bold=True,
        fill=True,
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
    pdf.row(
        [
            (widths[0], _("VAT rate"), "L"),
            (widths[1], _("Net"), "R"),
            (widths[2], _("VAT"), "R"),
            (widths[3], _("Gross"), "R"),
        ],
        bold=True,
        fill=True,
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
        pdf.set_x(pdf.w - pdf.r_margin - 90)
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
        title = _("Invoice %(number)s") % {"number": document["number"]}
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
                % {"bank": bank.get("name") or "", "iban": bank["iban"], "bic": bank["bic"]}
            )
        if payment.get("reference"):
            foot.append(_("Payment reference: %(reference)s") % {"reference": payment["reference"]})
        foot.append(_("Amounts in %(currency)s.") % {"currency": document["currency"]})
        if document["seller"].get("invoice_notes"):
            foot.append(document["seller"]["invoice_notes"])
        _foot(pdf, foot)
        return bytes(pdf.output())


def credit_note_pdf(credit_note) -> bytes:
    """The credit note as issued, as PDF bytes."""
    document = credit_note.document
    with translation.override(_language()):
        title = _("Credit note %(number)s") % {"number": document["number"]}
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
        pdf.text_block(0, [reason % {"number": document["invoice_number"]}, document.get("note")])
        pdf.ln(2)
        if document["lines"]:
            _lines(pdf, document)
        _vat_and_totals(pdf, document, _("Total credited"))
        _foot(pdf, [_("Amounts in %(currency)s.") % {"currency": document["currency"]}])
        return bytes(pdf.output())
