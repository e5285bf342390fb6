"""The achievement engine of targets: periods, daily series and the figures of a target.

Plain functions over dates and numbers; ``sales.target._recompute_plan_achievements`` feeds
them the facts of the metrics (``sales.target.metric._fetch_series``).
"""

import bisect
from collections import defaultdict
from functools import lru_cache
from itertools import accumulate

from dateutil.relativedelta import relativedelta

from odoo.tools import date_utils

# Target fields written by the achievement computation.
ACHIEVEMENT_FIELDS = (
    "actual",
    "actual_to_date",
    "achievement_pct",
    "gap_to_target",
    "run_rate",
    "mtd",
    "qtd",
    "ytd",
    "last_year",
    "yoy_pct",
    "forecast",
)


@lru_cache(maxsize=4096)
def period_start(day, kind, fiscal_month=1):
    """Start of the week, month, quarter or year containing ``day``; quarters and years follow
    a fiscal year starting in ``fiscal_month`` (January by default: calendar ones).

    Cached: a plan's thousands of targets share a few dozen periods, and ``date_utils``'s
    relativedelta arithmetic would otherwise be most of a refresh's time.
    """
    if kind in ("week", "month") or fiscal_month == 1:
        return date_utils.start_of(day, kind)
    year_start = date_utils.get_fiscal_year(day, month=fiscal_month - 1)[0]
    if kind == "year":
        return year_start
    months = (day.year - year_start.year) * 12 + day.month - year_start.month
    return year_start + relativedelta(months=months - months % 3)


@lru_cache(maxsize=4096)
def year_before(day):
    """The same day a year earlier; 29 February gives the 28th (cached, as ``period_start``)."""
    return date_utils.subtract(day, years=1)


def achievement_values(series, start, end, target_value, today, fiscal_month=1):
    """Achievement figures of one target from the daily series of its assignee.

    actual, achievement %, gap, same period last year and YoY growth over the whole period;
    actual to date, run-rate projection to the period end, MTD, QTD and YTD at ``today``
    (or at the period end once it is over). Quarters and years to date follow the fiscal
    year starting in ``fiscal_month``.
    """

    def total(first, last):
        return series.total(first, last) if series else 0.0

    actual = total(start, end)
    previous = total(year_before(start), year_before(end))
    values = {
        "actual": actual,
        "last_year": previous,
        "achievement_pct": actual / target_value * 100.0 if target_value else 0.0,
        "gap_to_target": target_value - actual,
        "yoy_pct": (actual - previous) / previous * 100.0 if previous else 0.0,
    }
    if today < start:
        values.update(actual_to_date=0.0, run_rate=0.0, mtd=0.0, qtd=0.0, ytd=0.0)
        return values
    ref = min(today, end)
    to_date = total(start, ref)
    elapsed = (ref - start).days + 1
    length = (end - start).days + 1
    values.update(
        actual_to_date=to_date,
        # a rate to date is already the rate expected at the end
        run_rate=actual if today > end or (series and series.rate) else to_date / elapsed * length,
        mtd=total(period_start(ref, "month"), ref),
        qtd=total(period_start(ref, "quarter", fiscal_month), ref),
        ytd=total(period_start(ref, "year", fiscal_month), ref),
    )
    return values


def pg_array(values):
    """A PostgreSQL array literal: parsed far faster than an ARRAY[...] of parameters."""
    return "{" + ",".join("NULL" if value is None else repr(value) for value in values) + "}"


class DailySeries:
    """Cumulative sums of daily amounts, to sum any date range in O(log n).

    A rate series (``documents``: the number of documents of each day) averages instead: its
    total over a range is the amount per document, because the share of compliant orders of
    a quarter is not the sum of its days' shares.
    """

    def __init__(self, by_day, documents=None):
        self.rate = documents is not None
        self.days = sorted(by_day)
        self.cumul = list(accumulate(by_day[day] for day in self.days))
        self.counts = (
            list(accumulate(documents.get(day, 0) for day in self.days)) if self.rate else None
        )

    @staticmethod
    def _between(cumul, lo, hi):
        return (cumul[hi - 1] if hi else 0.0) - (cumul[lo - 1] if lo else 0.0)

    def total(self, start, end):
        if not self.days or start > end:
            return 0.0
        lo = bisect.bisect_left(self.days, start)
        hi = bisect.bisect_right(self.days, end)
        amount = self._between(self.cumul, lo, hi)
        if not self.rate:
            return amount
        count = self._between(self.counts, lo, hi)
        return amount / count if count else 0.0


def sum_by_assignee(facts, column):
    """{assignee key: {day: sum of the fact rows' ``column``}}: per salesperson, and but for
    overlay credit per team and company. Fact rows: (user, team, company, day, overlay,
    amount, documents)."""
    by_key = defaultdict(lambda: defaultdict(float))
    for fact in facts:
        user_id, team_id, company_id, day, overlay = fact[:5]
        value = float(fact[column] or 0.0)
        if user_id:
            by_key[("user", user_id)][day] += value
        if not overlay:
            if team_id:
                by_key[("team", team_id)][day] += value
            by_key[("company", company_id)][day] += value
    return by_key
