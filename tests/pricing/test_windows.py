"""A rule's time window: start inclusive, end exclusive, open when empty; one definition."""

from datetime import UTC, datetime, timedelta

import pytest

from pricing.engine import ENDED, NOT_STARTED, RUNNING, PriceRuleData, window_state
from pricing.models import PriceRule, window_filter
from tests.factories import PriceRuleFactory

AT = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)

# (starts_at, ends_at, state at AT)
WINDOWS = [
    (None, None, RUNNING),
    (AT, None, RUNNING),
    (AT + SECOND, None, NOT_STARTED),
    (None, AT + SECOND, RUNNING),
    (None, AT, ENDED),
    (AT - SECOND, AT, ENDED),
    (AT, AT + SECOND, RUNNING),
    (AT + SECOND, AT + 2 * SECOND, NOT_STARTED),
]


@pytest.mark.parametrize(("starts_at", "ends_at", "state"), WINDOWS)
def test_window_state(starts_at, ends_at, state):
    rule = PriceRuleData(1, "r", "percent_off", 10, starts_at=starts_at, ends_at=ends_at)
    assert window_state(rule, AT) == state


@pytest.mark.django_db
@pytest.mark.parametrize("state", [NOT_STARTED, RUNNING, ENDED])
def test_the_admin_filter_selects_the_same_rules(state):
    rules = {
        PriceRuleFactory(starts_at=starts_at, ends_at=ends_at).pk: expected
        for starts_at, ends_at, expected in WINDOWS
    }
    selected = set(PriceRule.objects.filter(window_filter(state, AT)).values_list("pk", flat=True))
    assert selected == {pk for pk, expected in rules.items() if expected == state}
