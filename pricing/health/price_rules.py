"""The price rules' conflicts: the engine's survey of the catalogue, worded, and the company
rules whose group cannot see their products."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import format_money
from customers.models import Company, CompanyMember, CustomerGroup, CustomerProfile
from shop.catalog import selectors as catalog_selectors
from shop.catalog.models import Product

from .. import engine, loaders, services
from ..engine import ladders, survey
from .warnings import (
    FREE,
    GROUP_PAYS_MORE,
    HIDDEN_FROM_COMPANY,
    SHADOWED,
    TIER_INVERSION,
    RuleWarning,
)


@dataclass(frozen=True)
class CatalogueFacts:
    """What the survey and the messages need from the database."""

    catalogue: ladders.Catalogue
    skus: dict[int, str]
    group_names: dict[int, str]
    default_group: int
    customer_groups: dict[int, int]
    customer_emails: dict[int, str]
    company_groups: dict[int, int] = field(default_factory=dict)
    company_names: dict[int, str] = field(default_factory=dict)
    # The customers with rules who buy for a company: customer id -> company id.
    customer_companies: dict[int, int] = field(default_factory=dict)
    # The active products each company's group sees (the groups of companies with rules).
    visible_to_group: dict[int, frozenset[int]] = field(default_factory=dict)


def catalogue_facts(
    customer_ids: Collection[int] = (), company_ids: Collection[int] = ()
) -> CatalogueFacts:
    """Active products with their category paths, groups, the given customers (and the
    companies they buy for) and companies (6 queries, 4 without customers or companies, 3 more
    per group of a company, and the pricing version check). A member is judged in the company's
    group, as they are priced."""
    data = services.pricing_data()
    rows = Product.objects.filter(is_active=True).values_list(
        "id", "base_price", "category_id", "name", "sku"
    )
    snapshots, skus = [], {}
    for product_id, base_price, category_id, name, sku in rows:
        snapshots.append(
            engine.ProductSnapshot(
                id=product_id,
                base_price=base_price,
                category_path=data.category_path(category_id),
                name=name,
            )
        )
        skus[product_id] = sku
    group_rows = list(CustomerGroup.objects.all())
    groups = [(group.pk, group.name, group.is_default) for group in group_rows]
    default_group = next((pk for pk, _name, is_default in groups if is_default), None)
    customer_ids = set(customer_ids)
    customer_groups = dict(
        CustomerProfile.objects.filter(user_id__in=customer_ids).values_list("user_id", "group_id")
    )
    emails = dict(get_user_model().objects.filter(pk__in=customer_ids).values_list("pk", "email"))
    memberships = (
        CompanyMember.objects.filter(user_id__in=customer_ids).values_list("user_id", "company_id")
        if customer_ids
        else []
    )
    customer_companies = dict(memberships)
    company_ids = set(company_ids) | set(customer_companies.values())
    companies = (
        Company.objects.filter(pk__in=company_ids).values_list("pk", "group_id", "name")
        if company_ids
        else []
    )
    company_groups = {pk: group_id for pk, group_id, _name in companies}
    for customer_id, company_id in customer_companies.items():
        customer_groups[customer_id] = company_groups[company_id]
    visible_to_group = {
        group.pk: frozenset(
            catalog_selectors.visible_products(group=group).values_list("pk", flat=True)
        )
        for group in group_rows
        if group.pk in set(company_groups.values())
    }
    return CatalogueFacts(
        catalogue=ladders.Catalogue(snapshots),
        skus=skus,
        group_names={pk: name for pk, name, _default in groups},
        default_group=default_group,
        customer_groups=customer_groups,
        customer_emails=emails,
        company_groups=company_groups,
        company_names={pk: name for pk, _group_id, name in companies},
        customer_companies=customer_companies,
        visible_to_group=visible_to_group,
    )


def negotiators(price_rules) -> tuple[set[int], set[int]]:
    """The customers and the companies the rules are negotiated with."""
    customers = {rule.customer_id for rule in price_rules if rule.customer_id}
    return customers, {rule.company_id for rule in price_rules if rule.company_id}


def rule_set_warnings(
    price_rules: Sequence[engine.PriceRuleData],
    *,
    only_rule_ids: set[int] | None = None,
    at: datetime | None = None,
    facts: CatalogueFacts | None = None,
) -> list[RuleWarning]:
    """The conflicts of ``price_rules`` (active rules: the set as it would be compiled) for the
    rules asked about, all when ``only_rule_ids`` is None; at ``at`` (now by default).

    Codes: ``free``, ``group_pays_more``, ``tier_inversion``, ``never_wins``, ``shadowed``
    (see `pricing.engine.survey`). Ordered by rule id, one warning per rule and code."""
    at = at or timezone.now()
    if facts is None:
        facts = catalogue_facts(*negotiators(price_rules))
    strategy = settings.SHOP_PRICING_STRATEGY
    compiled = loaders.guests_rules_for_everyone(list(price_rules), facts.default_group, strategy)
    rules = engine.compile_rules(compiled, strategy=strategy)
    findings = survey.survey(
        rules,
        facts.catalogue,
        groups=sorted(facts.group_names),
        customers=facts.customer_groups,
        default_group=facts.default_group,
        at=at,
        only_rule_ids=only_rule_ids,
        companies=facts.company_groups,
        customer_companies=facts.customer_companies,
    )
    names = {rule.id: rule.name for rule in rules.price_rules}
    warnings = [_warning(finding, names, facts, at) for finding in findings]
    warnings += _hidden_from_company(rules.price_rules, only_rule_ids, names, facts)
    order = {code: i for i, code in enumerate((*ladders.CODES, HIDDEN_FROM_COMPANY))}
    warnings.sort(key=lambda warning: (warning.rule_id, order[warning.code]))
    return warnings


def _hidden_from_company(price_rules, only_rule_ids, names, facts: CatalogueFacts) -> list:
    """A company's rule on a product, or a category, that the company's group does not see
    (none of the category's products): the members can never buy at that price."""
    found = []
    for rule in price_rules:
        if rule.company_id is None or (only_rule_ids is not None and rule.id not in only_rule_ids):
            continue
        if rule.product_id is None and rule.category_id is None:
            continue
        group_id = facts.company_groups.get(rule.company_id, facts.default_group)
        visible = facts.visible_to_group.get(group_id, frozenset())
        in_scope = facts.catalogue.in_scope(rule)
        if not in_scope or any(product.id in visible for product in in_scope):
            continue
        values = {
            "rule": _rule(names, rule.id),
            "company": facts.company_names.get(rule.company_id, f"#{rule.company_id}"),
            "group": facts.group_names.get(group_id, "?"),
            "product": _product(facts, in_scope[0].id),
        }
        if rule.product_id is not None:
            message = _(
                "%(rule)s is negotiated with %(company)s, but its group %(group)s does not see "
                "%(product)s: its members cannot buy it."
            )
        else:
            message = _(
                "%(rule)s is negotiated with %(company)s, but its group %(group)s sees no "
                "product of its category (e.g. %(product)s): its members cannot buy them."
            )
        found.append(
            RuleWarning(
                rule_id=rule.id,
                code=HIDDEN_FROM_COMPANY,
                message=message % values,
                product_id=in_scope[0].id,
                group_id=group_id,
                company_id=rule.company_id,
            )
        )
    return found


def _warning(finding: ladders.Finding, names, facts: CatalogueFacts, now) -> RuleWarning:
    buyer = finding.buyer
    group_id = customer_id = company_id = None
    if buyer is not None:
        customer_id = buyer.customer_id
        company_id = buyer.company_id
        group_id = buyer.group_id if buyer.group_id is not None else facts.default_group
    return RuleWarning(
        rule_id=finding.rule_id,
        code=finding.code,
        message=_message(finding, names, facts),
        product_id=finding.product_id,
        group_id=group_id,
        customer_id=customer_id,
        company_id=company_id,
        quantity=finding.quantity,
        other_rule_id=finding.other_rule_id,
        at=finding.at if finding.at != now else None,
    )


def _product(facts: CatalogueFacts, product_id) -> str:
    product = facts.catalogue.by_id.get(product_id)
    if product is None:
        return "?"
    return f"{product.name} ({facts.skus.get(product_id, '')})"


def _buyer(facts: CatalogueFacts, buyer: engine.Buyer | None) -> str:
    if buyer is None:
        return _("its buyers")
    if buyer.customer_id is not None:
        email = facts.customer_emails.get(buyer.customer_id, f"#{buyer.customer_id}")
        if buyer.company_id is not None:
            company = facts.company_names.get(buyer.company_id, f"#{buyer.company_id}")
            return _("customer %(email)s of %(company)s") % {"email": email, "company": company}
        return _("customer %(email)s") % {"email": email}
    if buyer.company_id is not None:
        name = facts.company_names.get(buyer.company_id, f"#{buyer.company_id}")
        return _("a member of %(company)s") % {"company": name}
    if buyer.group_id is None or buyer.group_id == facts.default_group:
        return _("a guest")
    return _("the %(group)s group") % {"group": facts.group_names.get(buyer.group_id, "?")}


def _rule(names, rule_id) -> str:
    return _("#%(id)s “%(name)s”") % {"id": rule_id, "name": names.get(rule_id, "?")}


def _message(finding: ladders.Finding, names, facts: CatalogueFacts) -> str:
    values = {
        "rule": _rule(names, finding.rule_id),
        "product": _product(facts, finding.product_id),
        "buyer": _buyer(facts, finding.buyer),
        "quantity": finding.quantity,
        "price": _money(finding.price),
        "other_price": _money(finding.other_price),
        "other": _rule(names, finding.other_rule_id) if finding.other_rule_id else "",
        "guest_group": facts.group_names.get(facts.default_group, ""),
    }
    code = finding.code
    if code == FREE:
        return (
            _("%(rule)s makes %(product)s free: its unit price is 0.00 (base %(other_price)s).")
            % values
        )
    if code == GROUP_PAYS_MORE:
        return (
            _(
                "%(rule)s makes %(buyer)s pay more than a guest: %(price)s instead of "
                "%(other_price)s per unit for %(quantity)s × %(product)s."
            )
            % values
        )
    if code == TIER_INVERSION:
        return (
            _(
                "%(rule)s makes buying more cost more for %(buyer)s: from %(quantity)s × "
                "%(product)s the unit price rises from %(other_price)s to %(price)s."
            )
            % values
        )
    if code == SHADOWED:
        return (
            _(
                "%(rule)s never wins: %(other)s comes first wherever it applies "
                "(e.g. %(quantity)s × %(product)s for %(buyer)s)."
            )
            % values
        )
    if finding.product_id is None:
        return _("%(rule)s never wins: no active product is in its scope.") % values
    if finding.other_rule_id is None:
        return (
            _(
                "%(rule)s never wins: the base price is lower wherever it applies "
                "(e.g. %(quantity)s × %(product)s for %(buyer)s at %(other_price)s)."
            )
            % values
        )
    return (
        _(
            "%(rule)s never wins for any product in its scope at any quantity "
            "(e.g. %(quantity)s × %(product)s for %(buyer)s goes to %(other)s)."
        )
        % values
    )


def _money(amount: Decimal | None) -> str:
    return format_money(amount) if amount is not None else ""
