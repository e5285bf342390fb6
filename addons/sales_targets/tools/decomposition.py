"""The arithmetic of decomposing a target (目标分解): the periods of a split over time, the
weights from last year's actuals and the split of an amount.

Plain functions over dates and numbers, as ``achievement.py`` beside it; ``sales.target`` feeds
them its dates, last year's series (``_last_year_series``) and its currency's rounding, and
raises the user's errors (``_child_periods``, ``_decomposition_weights``, ``_split_amount``).
"""

from dateutil.relativedelta import relativedelta

from .achievement import period_start

# The step of each period type a target is split into over time.
PERIOD_STEPS = {
    "quarter": relativedelta(months=3),
    "month": relativedelta(months=1),
    "week": relativedelta(weeks=1),
}


def child_periods(date_from, date_to, period_type, fiscal_month=1):
    """Consecutive (start, end) periods of ``period_type`` inside ``date_from``..``date_to``,
    the first and last cut to it; quarters follow a fiscal year starting in ``fiscal_month``."""
    step = PERIOD_STEPS[period_type]
    start = period_start(date_from, period_type, fiscal_month)
    periods = []
    while start <= date_to:
        end = start + step - relativedelta(days=1)
        periods.append((max(start, date_from), min(end, date_to)))
        start += step
    return periods


def last_year_weights(specs, method, series, company_id):
    """Weights of the children described by ``specs`` (dicts with the child's assignee and
    dates) from last year's actuals: ``series`` maps assignee keys to daily series
    (``achievement.DailySeries``). 'seasonality': the whole company's (``company_id``) profile
    of last year, whoever sold; otherwise ('history'): each child's assignee's own. All zero
    when there were no actuals."""
    year = relativedelta(years=1)
    if method == "seasonality":
        profile = series.get(("company", company_id))
        return [
            profile.total(s["date_from"] - year, s["date_to"] - year) if profile else 0.0
            for s in specs
        ]
    weights = []
    for spec in specs:
        key = {
            "company": ("company", company_id),
            "team": ("team", spec.get("team_id")),
            "user": ("user", spec.get("user_id")),
        }[spec["assignee_type"]]
        history = series.get(key)
        weights.append(
            history.total(spec["date_from"] - year, spec["date_to"] - year) if history else 0.0
        )
    return weights


def split_amount(total, weights, rounding, uplift_pct=0.0, rate=False):
    """Split ``total`` (raised or lowered by ``uplift_pct`` percent) proportionally to
    ``weights`` (none negative, not all zero: the caller checks).

    Values are rounded to ``rounding`` (the currency's); the last share takes the rounding
    rest so that the children add up exactly to the uplifted total. A rate (``rate``: e.g. 98%
    compliant orders) holds for every part of the target: it is not split.
    """
    amount = total * (1 + (uplift_pct or 0.0) / 100.0)
    if rate:
        return [round(amount, 2)] * len(weights)
    weight_total = sum(weights)
    values = [round(amount * w / weight_total / rounding) * rounding for w in weights[:-1]]
    values.append(round((amount - sum(values)) / rounding) * rounding)
    return values
