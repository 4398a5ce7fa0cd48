from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import Period, month_start, shop_today

LONGEST_PERIOD_DAYS = 3 * 366
DATE_INPUT = {"type": "date"}
PRESETS = ("this_month", "last_month", "last_30_days", "this_year")


def preset_periods(today: date) -> dict[str, tuple[str, Period]]:
    """The periods offered as links: {key: (label, period)}."""
    this_month = month_start(today)
    last_month_end = this_month - timedelta(days=1)
    periods = {
        "this_month": (_("This month"), Period(this_month, today)),
        "last_month": (_("Last month"), Period(month_start(last_month_end), last_month_end)),
        "last_30_days": (_("Last 30 days"), Period(today - timedelta(days=29), today)),
        "this_year": (_("This year"), Period(today.replace(month=1, day=1), today)),
    }
    return {key: periods[key] for key in PRESETS}


class PeriodForm(forms.Form):
    """From and to dates (both included), or one of the presets."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(DATE_INPUT, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(DATE_INPUT, format="%Y-%m-%d")
    )
    preset = forms.ChoiceField(
        required=False,
        choices=[("", "")] + [(key, key) for key in PRESETS],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or shop_today()
        self.presets = preset_periods(self.today)
        self.period: Period | None = None

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}_errors"}
                )

    def clean(self):
        data = super().clean()
        preset = data.get("preset")
        if preset:
            self.period = self.presets[preset][1]
            return data
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        if start is None or end is None:
            raise forms.ValidationError(_("Give both dates of the period, or pick a preset."))
        if start > end:
            self.add_error("end", _("The end of the period comes before its start."))
        elif (end - start).days >= LONGEST_PERIOD_DAYS:
            self.add_error("end", _("A report covers at most three years."))
        else:
            self.period = Period(start, end)
        return data
