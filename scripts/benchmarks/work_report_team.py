"""sales_assistant: the leader's team view of the work reports (issue #20, section 5): the
daily reports of 20 reps over a month, per rep and day: on time, late, missing, reviewed."""

import statistics
from datetime import timedelta

from . import Measure, benchmark

DISCIPLINES = ("on_time", "on_time", "on_time", "late", "missing")
LIST_SPEC = {
    "user_id": {"fields": {"display_name": {}}},
    "date_from": {},
    "state": {},
    "discipline": {},
    "report_on_time": {},
    "report_late": {},
    "report_missing": {},
    "report_reviewed": {},
}
AGGREGATES = ["report_on_time:sum", "report_late:sum", "report_missing:sum", "report_reviewed:sum"]


def make_month_of_dailies(env, team, month_start):
    """A daily report per member of ``team`` and working day of the month of ``month_start``,
    in a mix of on time, late (some reviewed) and missing (set-up, not measured)."""
    Report = env["sales.work.report"].sudo()
    days = [
        month_start + timedelta(days=n)
        for n in range(31)
        if (month_start + timedelta(days=n)).month == month_start.month
        and (month_start + timedelta(days=n)).weekday() < 5
    ]
    vals, flows = [], []
    for index, member in enumerate(team.member_ids):
        for number, day in enumerate(days):
            discipline = DISCIPLINES[(index + number) % len(DISCIPLINES)]
            vals.append(
                {
                    "user_id": member.id,
                    "team_id": team.id,
                    "company_id": team.company_id.id or env.company.id,
                    "period": "day",
                    "scope": "person",
                    "date_from": day,
                    "date_to": day,
                    "highlights": "Bench",
                }
            )
            flows.append(
                {
                    "discipline": discipline,
                    "state": "draft"
                    if discipline == "missing"
                    else ("reviewed" if number % 2 else "submitted"),
                }
            )
    reports = Report.create(vals)
    for report, flow in zip(reports, flows, strict=True):
        report._flow_write(flow)
    env.flush_all()
    return reports


def open_team_view(Report, domain):
    """What the web client asks to show the leader's team view: the list grouped by rep with
    the counts, one rep's group opened, and the pivot rep by day."""
    groups = Report.web_read_group(domain, AGGREGATES, ["user_id"], limit=80, lazy=True)
    first = groups["groups"][0]
    Report.web_search_read(first["__domain"], LIST_SPEC, limit=80, order="date_from desc")
    Report.read_group(domain, AGGREGATES, ["user_id", "date_from:day"], lazy=False)
    return len(groups["groups"])


@benchmark("work_report_team_view")
def bench_work_report_team_view(env, runs=5):
    """The leader's team view of a month of daily reports, as the leader (their rights and
    record rules) for 10 and for 20 reps: wall time (median, worst) and queries; goal under
    500 ms for 20 reps, queries the same for 10 and 20."""
    leader = env["res.users"].search([("login", "=like", "seed.leader%")], order="id", limit=1)
    team = leader._sales_teams_led()[:1]
    env["crm.team.member"].search([("crm_team_id", "=", team.id)], order="id")[20:].unlink()
    month_start = env.company._sales_today().replace(day=1) - timedelta(days=1)
    month_start = month_start.replace(day=1)  # last month: every day decided
    reports = make_month_of_dailies(env, team, month_start)
    Report = env["sales.work.report"].with_user(leader)
    results = {"reports": len(reports), "team_reps": len(team.member_ids)}
    for size in (10, 20):
        domain = [
            ("period", "=", "day"),
            ("scope", "=", "person"),
            ("date_from", ">=", month_start),
            ("date_from", "<", (month_start + timedelta(days=32)).replace(day=1)),
            ("user_id", "in", team.member_ids[:size].ids),
        ]
        open_team_view(Report, domain)  # rights and translations cached, as on a live server
        times, queries = [], []
        for _run in range(runs):
            env.invalidate_all()
            with Measure(env) as measure:
                reps = open_team_view(Report, domain)
            times.append(measure.seconds * 1000)
            queries.append(measure.queries)
        results[f"reps_{size}"] = reps
        results[f"reps_{size}_ms_median"] = round(statistics.median(times), 1)
        results[f"reps_{size}_ms_max"] = round(max(times), 1)
        results[f"reps_{size}_queries"] = max(queries)
    results["goal_ms"] = 500
    return results
