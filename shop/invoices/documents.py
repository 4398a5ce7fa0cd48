"""What an invoice or a credit note prints, as plain values: the orders layer describes the
sale (buyer, lines, VAT per rate, payment) with these types and this package adds the seller,
the number and the date. Stored as JSON (`to_json`) so an issued document never changes."""

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class DocumentLine:
    """One line as sold: `amount` is quantity x unit price (net), `discount` its share of the
    cart discount, `net` what is taxed (`amount - discount`), `tax` its VAT."""

    description: str
    quantity: int
    unit_price: Decimal
    amount: Decimal
    tax_rate: Decimal
    tax: Decimal
    discount: Decimal = ZERO
    sku: str = ""

    @property
    def net(self) -> Decimal:
        return self.amount - self.discount

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


@dataclass(frozen=True)
class VatRow:
    rate: Decimal
    net: Decimal
    tax: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


@dataclass(frozen=True)
class Buyer:
    name: str
    company: str = ""
    address: tuple[str, ...] = ()
    country: str = ""
    vat_id: str = ""
    email: str = ""


@dataclass(frozen=True)
class Payment:
    method: str
    label: str
    reference: str
    due_date: date | None = None
    bank_transfer: bool = False  # the invoice then prints the shop's IBAN and BIC


@dataclass(frozen=True)
class InvoiceDraft:
    """An order's invoice before it has a number. The totals are the order's."""

    order_id: int
    order_number: str
    order_date: date
    currency: str
    buyer: Buyer
    lines: tuple[DocumentLine, ...]
    vat_rows: tuple[VatRow, ...]
    net_total: Decimal
    tax_total: Decimal
    total: Decimal
    payment: Payment
    discount_name: str = ""
    vat_mention: str = ""
    extra: dict = field(default_factory=dict)


def vat_rows_of(lines) -> tuple[VatRow, ...]:
    """The lines' net and VAT per rate, highest rate first."""
    rows: dict[Decimal, list[Decimal]] = {}
    for line in lines:
        row = rows.setdefault(Decimal(line.tax_rate), [ZERO, ZERO])
        row[0] += line.net
        row[1] += line.tax
    return tuple(VatRow(rate, net, tax) for rate, (net, tax) in sorted(rows.items(), reverse=True))


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def to_json(value) -> dict:
    """A dataclass (or a dict of them) as JSON-ready values: Decimals as strings, dates ISO."""
    if hasattr(value, "__dataclass_fields__"):
        value = asdict(value)
    return _plain(value)


def line_json(line: DocumentLine) -> dict:
    return to_json(line) | {"net": str(line.net), "gross": str(line.gross)}
