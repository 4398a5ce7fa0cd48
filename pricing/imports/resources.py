"""How price rules, quantity rules and cart discounts map to the rows of a manager's file.

Related objects are written by a natural field (group and category by slug, product by SKU,
customer by email, company by its exact name or its id), choices by their stored value, dates
in ISO in the shop's time zone; the rule's own `id` stays, so re-importing an export updates
rules instead of duplicating them (an empty id adds a rule, an unknown one is an error rather
than a rule with a made-up id).

Rows are validated by the models' own `clean()` and field validators; rules are written in
bulk, and a dry run (the preview) writes nothing, so the preview costs the same few queries at
any size: all existing rules in one query, each related model's keys in one query."""

from copy import copy

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field
from import_export.instance_loaders import BaseInstanceLoader
from import_export.widgets import CharWidget

from core.import_widgets import ChoiceWidget, DecimalWidget, IntegerWidget, YesNoWidget
from customers.models import Company, CustomerGroup
from shop.models import Category, Product

from ..models import CartDiscount, PriceRule, QuantityRule
from .widgets import IdOrNameWidget, LocalDateTimeWidget, NaturalKeysWidget, NaturalKeyWidget

ID = "id"
NOT_A_KIND = _("“%(value)s” is not a kind: write one of %(values)s.")
RELATIONS = ("group", "customer", "company", "product", "category")


def customer_accounts():
    """Accounts a rule may be negotiated for: active customers, never staff."""
    return get_user_model().objects.filter(is_active=True, is_staff=False, is_superuser=False)


def field(attribute, widget, column=None) -> Field:
    return Field(attribute=attribute, column_name=column or attribute, widget=widget)


def who_and_what_fields() -> dict[str, Field]:
    return {
        "group": field(
            "group",
            NaturalKeyWidget(
                CustomerGroup, "slug", message=_("No customer group has the slug “%(value)s”.")
            ),
        ),
        "customer": field(
            "customer",
            NaturalKeyWidget(
                get_user_model(),
                "email",
                lower=True,
                queryset=customer_accounts,
                message=_("No customer account has the email “%(value)s”."),
            ),
            "customer_email",
        ),
        "company": field(
            "company",
            IdOrNameWidget(
                Company,
                unknown=_("No company has the name or id “%(value)s”."),
                ambiguous=_("Several companies are named “%(value)s”: write the company's id."),
            ),
        ),
        "product": field(
            "product",
            NaturalKeyWidget(Product, "sku", message=_("No product has the SKU “%(value)s”.")),
            "product_sku",
        ),
        "category": field(
            "category",
            NaturalKeyWidget(Category, "slug", message=_("No category has the slug “%(value)s”.")),
        ),
    }


def twin(instance):
    """A copy of a rule row that shares its (never modified) related objects: what the
    import changes on a row is its own fields and caches, so this is all a copy needs. A
    `deepcopy` also copies every joined product, group and category, and was most of a
    10,000-row preview. The twin carries its own `__deepcopy__`, the library's copy of the
    row before import then costs the same."""
    clone = instance.__class__.__new__(instance.__class__)
    clone.__dict__ = dict(instance.__dict__)
    clone._state = copy(instance._state)
    clone._state.fields_cache = dict(instance._state.fields_cache)
    if "_prefetched_objects_cache" in instance.__dict__:
        clone._prefetched_objects_cache = dict(instance._prefetched_objects_cache)
    clone.__deepcopy__ = lambda memo: twin(clone)
    return clone


class AllRulesLoader(BaseInstanceLoader):
    """Every existing row of the model in one query, by id: the preview also needs the rules
    the file leaves out (what a sync removes) and all rules as they are (for the conflict
    checker), so rows get copies and `instances` stays as the database has it."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.instances = {obj.pk: obj for obj in resource.get_queryset()}

    def get_instance(self, row):
        instance = self.instances.get(self.resource.fields[ID].clean(row))
        return twin(instance) if instance is not None else None


class NoDiff:
    """The library's row diff, not needed: the preview lists changes itself (`preview`)."""

    def __init__(self, resource, instance, new):
        pass

    def compare_with(self, resource, instance):
        pass


class RuleResource(resources.ModelResource):
    """Shared behaviour; subclasses declare the model and the columns."""

    id = field(ID, IntegerWidget())
    name = field("name", CharWidget())

    class Meta:
        import_id_fields = (ID,)
        instance_loader_class = AllRulesLoader
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        skip_html_diff = True
        store_instance = True
        store_row_values = True  # names the rule of a row that fails
        use_bulk = True
        batch_size = 1000

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.import_fields = super().get_import_fields()
        self.loader: AllRulesLoader | None = None
        self.repeated_ids: dict[int, list[int]] = {}
        self.pending_m2m: dict[int, tuple[object, dict[str, list]]] = {}

    def get_import_fields(self):
        return self.import_fields  # asked several times per row, always the same

    @classmethod
    def get_diff_class(cls):
        return NoDiff

    # --- reading the file -------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        for resource_field in self.fields.values():
            if hasattr(resource_field.widget, "prepare"):
                column = resource_field.column_name
                values = dataset[column] if column in (dataset.headers or ()) else []
                resource_field.widget.prepare(values)
        rows_by_id: dict[int, list[int]] = {}
        if ID in (dataset.headers or ()):
            for number, value in enumerate(dataset[ID], 2):
                try:
                    rule_id = self.fields[ID].clean({ID: value})
                except ValueError:
                    continue
                if rule_id is not None:
                    rows_by_id.setdefault(rule_id, []).append(number)
        self.repeated_ids = {key: rows for key, rows in rows_by_id.items() if len(rows) > 1}

    def get_instance(self, instance_loader, row):
        self.loader = instance_loader
        rule_id = self.fields[ID].clean(row)
        if rule_id is None:
            return None
        if rule_id in self.repeated_ids:
            raise ValueError(
                _("The id %(id)s is on several rows (%(rows)s): each rule once.")
                % {"id": rule_id, "rows": ", ".join(map(str, self.repeated_ids[rule_id]))}
            )
        instance = instance_loader.get_instance(row)
        if instance is None:
            raise ValueError(
                _("There is no %(model)s with the id %(id)s. Leave the id empty to add one.")
                % {"model": self._meta.model._meta.verbose_name, "id": rule_id}
            )
        return instance

    def m2m_fields(self) -> list[Field]:
        return [f for f in self.get_import_fields() if hasattr(f.widget, "separator")]

    def import_instance(self, instance, row, **kwargs):
        """The library's field by field import, plus the many-to-many values read (and
        checked) now: bulk writes set them after the rows exist."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        values = {}
        for m2m in self.m2m_fields():
            if m2m.column_name in row:
                try:
                    values[m2m.attribute] = m2m.clean(row)
                except ValueError as error:
                    errors[m2m.attribute] = [str(error)]
        self.pending_m2m[id(instance)] = (instance, values)
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's `clean()` and field validators. Foreign keys were found by the widgets,
        and `clean()` covers every check constraint, so no query per row."""
        errors = dict(import_validation_errors or {})
        exclude = set(errors) | {name for name in RELATIONS if hasattr(instance, name + "_id")}
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    # --- writing ----------------------------------------------------------------------------

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is not None:
            instance.updated_at = timezone.now()  # bulk_update skips auto_now

    def get_bulk_update_fields(self):
        return [
            f.name
            for f in self._meta.model._meta.concrete_fields
            if not f.primary_key and f.name != "created_at"
        ]

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run:
            self.create_instances.clear()
            return
        created = list(self.create_instances)
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)
        self.save_pending_m2m(created)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run:
            self.update_instances.clear()
            return
        updated = list(self.update_instances)
        super().bulk_update(using_transactions, dry_run, raise_errors, batch_size, result)
        self.save_pending_m2m(updated)

    def bulk_delete(self, using_transactions, dry_run, raise_errors, result=None):
        if dry_run:
            self.delete_instances.clear()
            return
        super().bulk_delete(using_transactions, dry_run, raise_errors, result)

    def save_pending_m2m(self, instances) -> None:
        """Many-to-many values of the rows just written: two queries per field and batch."""
        for m2m in self.m2m_fields():
            relation = getattr(self._meta.model, m2m.attribute)
            through = relation.through
            source = relation.field.m2m_field_name()
            target = relation.field.m2m_reverse_field_name()
            values = {
                instance.pk: self.pending_m2m[id(instance)][1][m2m.attribute]
                for instance in instances
                if m2m.attribute in self.pending_m2m.get(id(instance), (None, {}))[1]
            }
            if not values:
                continue
            through.objects.filter(**{f"{source}__in": list(values)}).delete()
            through.objects.bulk_create(
                through(**{f"{source}_id": pk, f"{target}_id": item.pk})
                for pk, items in values.items()
                for item in items
            )

    def import_data(self, dataset, dry_run=False, **kwargs):
        self.pending_m2m = {}
        return super().import_data(dataset, dry_run=dry_run, **kwargs)

    # --- describing -------------------------------------------------------------------------

    def column_of(self, attribute: str) -> str:
        for resource_field in self.fields.values():
            if resource_field.attribute == attribute:
                return resource_field.column_name
        return attribute

    def existing(self) -> dict:
        return self.loader.instances if self.loader else {}


class PriceRuleResource(RuleResource):
    group, customer, company, product, category = who_and_what_fields().values()
    min_quantity = field("min_quantity", IntegerWidget())
    kind = field("kind", ChoiceWidget(PriceRule.Kind.choices, message=NOT_A_KIND))
    value = field("value", DecimalWidget())
    priority = field("priority", IntegerWidget())
    starts_at = field("starts_at", LocalDateTimeWidget())
    ends_at = field("ends_at", LocalDateTimeWidget())
    is_active = field("is_active", YesNoWidget())

    class Meta(RuleResource.Meta):
        model = PriceRule
        name = _("Price rules")
        fields = (
            ID,
            "name",
            *RELATIONS,
            "min_quantity",
            "kind",
            "value",
            "priority",
            "starts_at",
            "ends_at",
            "is_active",
        )
        export_order = fields

    def get_queryset(self):
        return PriceRule.objects.select_related(*RELATIONS).order_by(ID)


class QuantityRuleResource(RuleResource):
    group, customer, company, product, category = who_and_what_fields().values()
    min_quantity = field("min_quantity", IntegerWidget())
    max_quantity = field("max_quantity", IntegerWidget())
    step = field("step", IntegerWidget())
    is_active = field("is_active", YesNoWidget())

    class Meta(RuleResource.Meta):
        model = QuantityRule
        name = _("Quantity rules")
        fields = (ID, "name", *RELATIONS, "min_quantity", "max_quantity", "step", "is_active")
        export_order = fields

    def get_queryset(self):
        return QuantityRule.objects.select_related(*RELATIONS).order_by(ID)


class CartDiscountResource(RuleResource):
    groups = field(
        "groups",
        NaturalKeysWidget(
            CustomerGroup, "slug", message=_("No customer group has the slug “%(value)s”.")
        ),
    )
    min_subtotal = field("min_subtotal", DecimalWidget())
    kind = field("kind", ChoiceWidget(CartDiscount.Kind.choices, message=NOT_A_KIND))
    value = field("value", DecimalWidget())
    starts_at = field("starts_at", LocalDateTimeWidget())
    ends_at = field("ends_at", LocalDateTimeWidget())
    is_active = field("is_active", YesNoWidget())

    class Meta(RuleResource.Meta):
        model = CartDiscount
        name = _("Cart discounts")
        fields = (
            ID,
            "name",
            "groups",
            "min_subtotal",
            "kind",
            "value",
            "starts_at",
            "ends_at",
            "is_active",
        )
        export_order = fields

    def get_queryset(self):
        return CartDiscount.objects.prefetch_related("groups").order_by(ID)


RESOURCES = {
    PriceRule: PriceRuleResource,
    QuantityRule: QuantityRuleResource,
    CartDiscount: CartDiscountResource,
}
