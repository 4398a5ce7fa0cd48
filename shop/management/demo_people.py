"""Data of `seed_demo`: the demo seller, the demo customers of each VAT case, the demo
companies and their members."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from customers.companies.models import CompanyInvitation
from customers.companies.tokens import new_token, token_hash
from customers.models import Company, CompanyMember, CustomerProfile

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


# Companies that buy together: wholesale@ is the admin of Bistro Lumière, whose colleagues
# buy (within a limit per order) and approve; the German company has its one member.
# Members: (email, full name, role, spending limit per order or None).
COMPANIES = [
    {
        "name": "Bistro Lumière",
        "vat_id": "FR40303265045",
        "group": "wholesale",
        "payment_terms_days": 30,
        "credit_limit": Decimal("5000.00"),
        "members": [
            ("wholesale@example.com", "Wendy Wholesale", "admin", None),
            ("buyer@example.com", "Bruno Buyer", "buyer", Decimal("500.00")),
            ("approver@example.com", "Alice Approver", "approver", None),
        ],
        # Pending invitations: (email, role, invited by). Their links are never known (only
        # their hash is kept): the colleagues page shows them, its admin resends or revokes.
        "invitations": [("chef@example.com", "buyer", "wholesale@example.com")],
    },
    {
        "name": "Becker Küchenbedarf GmbH",
        "vat_id": "DE293817466",
        "group": "wholesale",
        "payment_terms_days": 30,
        "credit_limit": Decimal("3000.00"),
        "members": [("buyer-de@example.com", "Dieter Becker", "admin", None)],
    },
]


def seed_companies(groups, *, upsert, demo_user) -> None:
    """The demo companies with their members, each with a profile in the company's group
    (`upsert` and `demo_user`: the command's, so a second run changes nothing)."""
    for spec in COMPANIES:
        fields = ("vat_id", "payment_terms_days", "credit_limit")
        company, _created = upsert(
            Company,
            name=spec["name"],
            defaults={"group": groups[spec["group"]], **{f: spec[f] for f in fields}},
        )
        for email, full_name, role, limit in spec["members"]:
            user = demo_user(email, full_name)
            profile = {"group": company.group, "company_name": company.name}
            upsert(CustomerProfile, user=user, defaults=profile)
            upsert(
                CompanyMember,
                user=user,
                defaults={"company": company, "role": role, "spending_limit": limit},
            )
        for email, role, inviter in spec.get("invitations", []):
            _seed_invitation(company, email=email, role=role, inviter=inviter)


def _seed_invitation(company, *, email: str, role: str, inviter: str) -> None:
    """A pending invitation of `email`, unless the address joined or has one (an expired one
    gets a new life, so the demo always shows a live invitation)."""
    if CompanyMember.objects.filter(user__email__iexact=email).exists():
        return
    now = timezone.now()
    open_ones = CompanyInvitation.objects.filter(
        company=company, email__iexact=email, accepted_at=None, revoked_at=None
    )
    if open_ones.filter(expires_at__gt=now).exists():
        return
    life = timedelta(days=settings.COMPANY_INVITATION_DAYS)
    if open_ones.update(created_at=now, expires_at=now + life):
        return
    CompanyInvitation.objects.create(
        company=company,
        email=email,
        role=role,
        invited_by=CompanyMember.objects.get(company=company, user__email=inviter).user,
        token_hash=token_hash(new_token()),
        created_at=now,
        expires_at=now + life,
    )
