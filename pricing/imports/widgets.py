"""Widgets that read a manager's spreadsheet strictly and say what is wrong in his terms.

The library's widgets raise errors meant for developers ("ConversionSyntax", "matching query
does not exist") or read anything unknown as False; these raise `ValueError` with a sentence,
which the resource reports on the row. Related objects are looked up by their natural key,
all rows' keys in one query (`prepare`), so a preview costs the same queries at any size."""

from datetime import date, datetime, time

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from import_export import widgets

from core.import_widgets import text


class LocalDateTimeWidget(widgets.DateTimeWidget):
    """ISO dates and times in the shop's time zone: "2026-12-24 18:00" (a date alone is its
    midnight; an explicit offset is honoured). Spreadsheet date cells are read as they are."""

    def __init__(self):
        super().__init__(format="%Y-%m-%d %H:%M")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment = datetime.combine(value, time())
        else:
            raw = text(value)
            if not raw:
                return None
            try:
                moment = parse_datetime(raw) or (
                    datetime.combine(date.fromisoformat(raw), time()) if len(raw) == 10 else None
                )
            except ValueError:
                moment = None
            if moment is None:
                raise ValueError(
                    _("“%(value)s” is not a date: write it as 2026-12-24 18:00.") % {"value": raw}
                )
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    def render(self, value, obj=None, **kwargs):
        """Text in every format (a spreadsheet's date cells would lose the seconds)."""
        if not isinstance(value, datetime):
            return ""
        local = timezone.localtime(value).replace(tzinfo=None)
        return local.isoformat(sep=" ", timespec="microseconds" if local.microsecond else "seconds")


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """A related object named by a unique field (product SKU, category or group slug, customer
    email). `prepare` loads every key the file names in one query."""

    def __init__(self, model, field, *, message, lower=False, queryset=None):
        super().__init__(model, field=field)
        self.message = message
        self.lower = lower
        self.queryset = queryset
        self.cache: dict[str, object] = {}

    def key(self, value) -> str:
        raw = text(value)
        return raw.lower() if self.lower else raw

    def base_queryset(self):
        return self.queryset() if self.queryset else self.model._default_manager.all()

    def prepare(self, values) -> None:
        keys = {self.key(value) for value in values} - {""}
        objects = self.base_queryset().filter(**{f"{self.field}__in": keys})
        self.cache = {self.key(getattr(obj, self.field)): obj for obj in objects}

    def clean(self, value, row=None, **kwargs):
        key = self.key(value)
        if not key:
            return None
        if key not in self.cache:
            raise ValueError(self.message % {"value": text(value)})
        return self.cache[key]


class IdOrNameWidget(widgets.ForeignKeyWidget):
    """A related object named by its id or its exact name (names need not be unique: a name
    several objects share is an error asking for the id). Exports write the name. `prepare`
    loads every object the file names in one query."""

    def __init__(self, model, *, unknown, ambiguous):
        super().__init__(model, field="name")
        self.unknown = unknown
        self.ambiguous = ambiguous
        self.by_id: dict[int, object] = {}
        self.by_name: dict[str, list] = {}

    def prepare(self, values) -> None:
        keys = {text(value) for value in values} - {""}
        ids = {int(key) for key in keys if key.isdigit()}
        query = models.Q(name__in=keys) | models.Q(pk__in=ids)
        objects = list(self.model._default_manager.filter(query)) if keys else []
        self.by_id = {obj.pk: obj for obj in objects}
        self.by_name = {}
        for obj in objects:
            self.by_name.setdefault(obj.name, []).append(obj)

    def clean(self, value, row=None, **kwargs):
        key = text(value)
        if not key:
            return None
        named = self.by_name.get(key, [])
        if len(named) > 1:
            return self._by_id_or(key, self.ambiguous)
        if named:
            return named[0]
        return self._by_id_or(key, self.unknown)

    def _by_id_or(self, key: str, message):
        if key.isdigit() and int(key) in self.by_id:
            return self.by_id[int(key)]
        raise ValueError(message % {"value": key})


class NaturalKeysWidget(widgets.ManyToManyWidget):
    """Several related objects by a unique field, separated by commas ("retail, vip")."""

    def __init__(self, model, field, *, message):
        super().__init__(model, separator=",", field=field)
        self.message = message
        self.cache: dict[str, object] = {}

    def keys(self, value) -> list[str]:
        return [part.strip() for part in text(value).split(self.separator) if part.strip()]

    def prepare(self, values) -> None:
        keys = {key for value in values for key in self.keys(value)}
        objects = self.model._default_manager.filter(**{f"{self.field}__in": keys})
        self.cache = {getattr(obj, self.field): obj for obj in objects}

    def clean(self, value, row=None, **kwargs):
        unknown = [key for key in self.keys(value) if key not in self.cache]
        if unknown:
            raise ValueError(self.message % {"value": ", ".join(unknown)})
        return list(dict.fromkeys(self.cache[key] for key in self.keys(value)))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ", ".join(sorted(str(getattr(item, self.field)) for item in value.all()))
