"""Data of `seed_demo`: the demo seller and the demo customers of each VAT case."""

from decimal import Decimal

# A plausible French SAS (fictitious numbers with valid check digits).
SHOP_DETAILS = {
    "legal_name": "Comptoir Démo SAS",
    "legal_form": "SAS au capital de 10 000 €",
    "address_line1": "12 rue de la République",
    "postal_code": "69002",
    "city": "Lyon",
    "vat_id": "FR65912345675",
    "registration_number": "RCS Lyon 912 345 675",
    "email": "contact@comptoir-demo.example",
    "phone": "+33 4 72 00 00 00",
    "bank_name": "Crédit Agricole",
    "iban": "FR7630006000011234567890189",
    "bic": "AGRIFRPPXXX",
    "invoice_notes": (
        "Trade buyers: late payments bear penalties at three times the French legal interest "
        "rate and a fixed recovery fee of €40. No discount for early payment."
    ),
}


def _address(full_name, company, line1, postal_code, city, country) -> dict[str, str]:
    return {
        "full_name": full_name,
        "company": company,
        "line1": line1,
        "line2": "",
        "postal_code": postal_code,
        "city": city,
        "country": country,  # a plain ISO code
        "phone": "",
    }


# One customer per VAT case besides the French shopper@ (domestic): an Italian consumer (Italian
# VAT), a German company with a valid VAT number (reverse charge), a Swiss customer (export).
VAT_CUSTOMERS = [
    (
        "shopper-it@example.com",
        "Giulia Rossi",
        "retail",
        {},
        _address("Giulia Rossi", "", "Via Roma 12", "20121", "Milano", "IT"),
    ),
    (
        "buyer-de@example.com",
        "Dieter Becker",
        "wholesale",
        {
            "company_name": "Becker Küchenbedarf GmbH",
            "vat_id": "DE293817466",
            "payment_terms_days": 30,
            "credit_limit": Decimal("3000.00"),
        },
        _address(
            "Dieter Becker",
            "Becker Küchenbedarf GmbH",
            "Friedrichstraße 45",
            "10117",
            "Berlin",
            "DE",
        ),
    ),
    (
        "shopper-ch@example.com",
        "Lukas Meier",
        "retail",
        {},
        _address("Lukas Meier", "", "Bahnhofstrasse 7", "8001", "Zürich", "CH"),
    ),
]
