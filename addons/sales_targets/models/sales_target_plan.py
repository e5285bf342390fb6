import bisect
import logging
from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Target fields written by the achievement computation.
ACHIEVEMENT_FIELDS = (
    "actual",
    "actual_to_date",
    "achievement_pct",
    "gap",
    "run_rate",
    "mtd",
    "qtd",
    "ytd",
    "last_year",
    "yoy_pct",
    "forecast",
)

PERIODICITIES = [("year", "Year"), ("quarter", "Quarter"), ("month", "Month"), ("week", "Week")]
# Fields of an approved plan that may change without a revision.
FREE_FIELDS = {"name", "achievement_refreshed_at", "description"}
# Context value with which the workflow actions change a plan's state. A plain object: no
# client can send it, so a state change always goes through the actions (and their revisions).
_STATE_CHANGE = object()
_STATE_CHANGE_KEY = "sales_target_plan_state_change"


def period_start(day, kind, fiscal_month=1):
    """Start of the month, quarter or year containing ``day``; quarters and years follow a
    fiscal year starting in ``fiscal_month`` (January by default)."""
    if kind == "month":
        return day.replace(day=1)
    months = 3 if kind == "quarter" else 12
    offset = (day.month - fiscal_month) % months
    first = day.replace(day=1)
    year, month = first.year, first.month - offset
    if month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def shift_years(day, years):
    """The same day ``years`` later (earlier if negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


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
    last_year = total(shift_years(start, -1), shift_years(end, -1))
    values = {
        "actual": actual,
        "last_year": last_year,
        "achievement_pct": actual / target_value * 100.0 if target_value else 0.0,
        "gap": target_value - actual,
        "yoy_pct": (actual - last_year) / last_year * 100.0 if last_year else 0.0,
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


def _pg_array(values):
    """A PostgreSQL array literal: parsed far faster than an ARRAY[...] of parameters."""
    return "{" + ",".join("NULL" if value is None else repr(value) for value in values) + "}"


class _Series:
    """Cumulative sums of daily amounts, to sum any date range in O(log n).

    A rate series (``rate``) also counts the documents, and its total over a range is their
    average amount: the share of compliant orders of a quarter is not the sum of its days'.
    """

    def __init__(self, by_day, rate=False):
        self.rate = rate
        self.days = sorted(by_day)
        self.cumul, self.counts = [], []
        total = count = 0.0
        for day in self.days:
            amount, documents = by_day[day]
            total += amount
            count += documents
            self.cumul.append(total)
            self.counts.append(count)

    def _range(self, cumul, start, end):
        if not self.days or start > end:
            return 0.0
        hi = bisect.bisect_right(self.days, end)
        lo = bisect.bisect_left(self.days, start)
        if hi == 0:
            return 0.0
        return cumul[hi - 1] - (cumul[lo - 1] if lo else 0.0)

    def total(self, start, end):
        amount = self._range(self.cumul, start, end)
        if not self.rate:
            return amount
        count = self._range(self.counts, start, end)
        return amount / count if count else 0.0


class SalesTargetPlan(models.Model):
    _name = "sales.target.plan"
    _description = "Sales Target Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, id desc"

    name = fields.Char(required=True, tracking=True)
    description = fields.Text()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, tracking=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(required=True, tracking=True)
    date_to = fields.Date(required=True, tracking=True)
    periodicity = fields.Selection(PERIODICITIES, required=True, default="month", tracking=True)
    metric_ids = fields.Many2many("sales.target.metric", string="Metrics", required=True)
    manager_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        help="Responsible for the plan. Its generic metrics may only read what this user may read.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("locked", "Locked")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    target_ids = fields.One2many("sales.target", "plan_id", string="Targets")
    target_count = fields.Integer(compute="_compute_target_count")
    revision_ids = fields.One2many("sales.target.revision", "plan_id", string="Revisions")
    achievement_refreshed_at = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        ("date_check", "CHECK (date_from <= date_to)", "The plan must end after it starts."),
    ]

    def _compute_target_count(self):
        counts = dict(
            self.env["sales.target"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.target_count = counts.get(plan, 0)

    # ------------------------------------------------------------------
    # Protection
    # ------------------------------------------------------------------
    def _check_editable(self, reason=None):
        """Raise when targets of these plans may not change; return plans needing a revision.

        Unlocking and the Revise button are a manager's: anyone else is told to ask one.
        """
        manager = self.env.su or self.env.user.has_group("sales_targets.group_targets_manager")
        locked = self.filtered(lambda p: p.state == "locked")
        if locked:
            raise UserError(
                self.env._(
                    "Plan %s is locked: unlock it before changing it.", locked[0].display_name
                )
                if manager
                else self.env._(
                    "Plan %s is locked: ask your sales targets manager to unlock it and revise "
                    "the target.",
                    locked[0].display_name,
                )
            )
        approved = self.filtered(lambda p: p.state == "approved")
        if approved and not (reason and manager):
            raise UserError(
                self.env._(
                    "Plan %s is approved: give a reason for the change with the Revise button.",
                    approved[0].display_name,
                )
                if manager
                else self.env._(
                    "Plan %s is approved: only a sales targets manager changes its targets. Ask "
                    "your manager to revise the target.",
                    approved[0].display_name,
                )
            )
        return approved

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("state", "draft") != "draft" for vals in vals_list):
            raise UserError(self.env._("A target plan starts as a draft."))
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals and self.env.context.get(_STATE_CHANGE_KEY) is not _STATE_CHANGE:
            if any(plan.state != vals["state"] for plan in self):
                raise UserError(
                    self.env._(
                        "Change the state of a plan with its buttons (Approve, Lock, Unlock, "
                        "Back to Draft)."
                    )
                )
        changed = {
            name
            for name in set(vals) - FREE_FIELDS - {"state"}
            if not name.startswith(("message_", "activity_"))
        }
        if changed:
            reason = self.env.context.get("target_revision_reason")
            approved = self._check_editable(reason)
            for plan in approved:
                self.env["sales.target.revision"].create(
                    {
                        "plan_id": plan.id,
                        "reason": reason,
                        "change": ", ".join(plan._fields[name].string for name in sorted(changed)),
                    }
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(plan.state != "draft" for plan in self):
            raise UserError(self.env._("Only draft plans can be deleted."))

    @api.constrains("date_from", "date_to")
    def _check_targets_inside(self):
        for plan in self:
            outside = plan.target_ids.filtered(
                lambda t, p=plan: t.date_from < p.date_from or t.date_to > p.date_to
            )
            if outside:
                raise ValidationError(
                    self.env._("Target %s falls outside the plan's dates.", outside[0].display_name)
                )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _check_manager(self):
        if not self.env.user.has_group("sales_targets.group_targets_manager"):
            raise UserError(
                self.env._(
                    "Only sales target managers approve, lock or reopen a plan: ask your manager."
                )
            )

    def _set_state(self, state):
        self.with_context(**{_STATE_CHANGE_KEY: _STATE_CHANGE}).write({"state": state})

    def action_approve(self):
        self._check_manager()
        self.filtered(lambda p: p.state == "draft")._set_state("approved")

    def action_lock(self):
        self._check_manager()
        self.filtered(lambda p: p.state == "approved")._set_state("locked")

    def action_unlock(self):
        self._check_manager()
        for plan in self.filtered(lambda p: p.state == "locked"):
            self.env["sales.target.revision"].create(
                {
                    "plan_id": plan.id,
                    "reason": self.env._("Plan unlocked"),
                    "change": self.env._("State"),
                }
            )
            plan._set_state("approved")

    def action_reset_draft(self):
        self._check_manager()
        self.filtered(lambda p: p.state == "approved")._set_state("draft")

    def action_generate_top_targets(self):
        """Create one company target per metric covering the whole plan."""
        for plan in self:
            existing = plan.target_ids.filtered(lambda t: not t.parent_id).metric_id
            vals = [
                {
                    "plan_id": plan.id,
                    "metric_id": metric.id,
                    "assignee_type": "company",
                    "date_from": plan.date_from,
                    "date_to": plan.date_to,
                    "target_value": 0.0,
                }
                for metric in plan.metric_ids - existing
            ]
            self.env["sales.target"].create(vals)
        return True

    def action_view_targets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_targets.action_sales_target")
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id}
        return action

    def action_refresh_achievement(self):
        """Refresh every target of the plans: set-based SQL over the whole plan, for managers
        (salespeople refresh their own targets from the targets, see sales.target)."""
        if not self.env.user.has_group("sales_targets.group_targets_manager"):
            raise UserError(
                self.env._(
                    "Only sales target managers refresh a whole plan: refresh your own targets "
                    "from My Targets, or ask your manager."
                )
            )
        self._recompute_achievements()
        return True

    @api.constrains("metric_ids", "manager_id")
    def _check_generic_metrics(self):
        for plan in self:
            plan.metric_ids._check_generic_readable(plan.manager_id)

    # ------------------------------------------------------------------
    # Achievement
    # ------------------------------------------------------------------
    def _recompute_achievements(self, today=None, targets=None):
        """Recompute actual, MTD/QTD/YTD, last year and run-rate of every target of the plans.

        One grouped query per metric per plan reads the facts of the plan's dates and of the
        year before; the forecast is one more query per plan. The values are written back in
        one UPDATE per plan. The cost does not depend on the number of targets. Days, months
        and quarters, today included, are those of the plan's company's timezone
        (``res.company._sales_targets_tz_sql``).

        :param targets: salesperson targets to refresh alone (a salesperson's own refresh):
            only their salespeople's facts are read and the plan is not stamped, so that the
            cron still refreshes the rest of it.
        """
        Target = self.env["sales.target"]
        Target.flush_model()
        user_ids = None
        if targets is not None:
            user_ids = targets.user_id.ids
            if any(t.assignee_type != "user" for t in targets):
                raise UserError(self.env._("Only salesperson targets are refreshed alone."))
        for plan in self:
            if targets is None:
                # stamped even without targets, so that the cron moves on to other plans
                plan.sudo().write({"achievement_refreshed_at": fields.Datetime.now()})
            # plain rows rather than records: this loop runs for every target of the plan
            self.env.cr.execute(
                SQL(
                    """
                    SELECT t.id, t.metric_id, m.metric_type, t.assignee_type, t.user_id,
                           t.team_id, t.company_id, t.date_from, t.date_to, t.target_value,
                           %s
                      FROM sales_target t
                      JOIN sales_target_metric m ON m.id = t.metric_id
                     WHERE t.plan_id = %s AND %s
                    """,
                    plan.company_id._sales_targets_tz_sql(),
                    plan.id,
                    SQL("TRUE") if targets is None else SQL("t.id IN %s", tuple(targets.ids)),
                )
            )
            target_rows = self.env.cr.fetchall()
            if not target_rows:
                continue
            plan_today = today or plan.company_id._sales_targets_today(target_rows[0][-1])
            start = shift_years(plan.date_from, -1)
            series_by_metric = {
                metric.id: metric._fetch_series(
                    start, plan.date_to, plan.company_id, user_ids, reader=plan.manager_id
                )
                for metric in self.env["sales.target.metric"].browse({r[1] for r in target_rows})
            }
            forecast = self._build_series(
                self.env["crm.lead"]._forecast_facts(
                    plan.date_from, plan.date_to, plan.company_id, user_ids
                )
            )
            rows = []
            for row in target_rows:
                target_id, metric_id, metric_type, kind, user_id, team_id, company_id = row[:7]
                date_from, date_to, target_value = row[7:10]
                key = {
                    "user": ("user", user_id),
                    "team": ("team", team_id),
                    "company": ("company", company_id),
                }[kind]
                values = achievement_values(
                    series_by_metric[metric_id].get(key),
                    date_from,
                    date_to,
                    float(target_value or 0.0),
                    plan_today,
                    plan.date_from.month,
                )
                pipeline = forecast.get(key)
                values["forecast"] = (
                    pipeline.total(date_from, date_to)
                    if pipeline and metric_type in ("revenue", "invoiced")
                    else 0.0
                )
                rows.append((target_id, *(values[f] for f in ACHIEVEMENT_FIELDS)))
            self._write_achievements(rows)
        Target.invalidate_model([*ACHIEVEMENT_FIELDS, "achievement_date"])
        return True

    @api.model
    def _build_series(self, facts, rate=False):
        """Daily series per assignee key from fact rows (user, team, company, day, overlay,
        amount[, count]); ``rate``: the series of a rate metric (``_is_rate_metric``)."""
        by_key = defaultdict(lambda: defaultdict(lambda: [0.0, 0]))
        for user_id, team_id, company_id, day, overlay, amount, *count in facts:
            keys = [("user", user_id)] if user_id else []
            if not overlay:
                keys += [("team", team_id)] if team_id else []
                keys.append(("company", company_id))
            for key in keys:
                point = by_key[key][day]
                point[0] += float(amount or 0.0)
                point[1] += count[0] if count else 1
        return {key: _Series(days, rate) for key, days in by_key.items()}

    def _write_achievements(self, rows):
        """One bulk UPDATE from arrays, whatever the number of targets; unchanged rows are left
        alone so that a refresh without news costs little."""
        if not rows:
            return
        columns = ", ".join(ACHIEVEMENT_FIELDS)
        sets = ", ".join(f"{name} = v.{name}" for name in ACHIEVEMENT_FIELDS)
        changed = " OR ".join(f"t.{name} IS DISTINCT FROM v.{name}" for name in ACHIEVEMENT_FIELDS)
        arrays = ", ".join(["%s::int4[]"] + ["%s::float8[]"] * len(ACHIEVEMENT_FIELDS))
        self.env.cr.execute(
            f"UPDATE sales_target t SET {sets}, achievement_date = %s "
            f"FROM unnest({arrays}) AS v(id, {columns}) "
            f"WHERE t.id = v.id AND ({changed} OR t.achievement_date IS NULL)",
            [fields.Datetime.now(), *(_pg_array(column) for column in zip(*rows, strict=True))],
        )

    @api.model
    def _cron_recompute_achievements(self, batch_size=None):
        """Refresh running plans not refreshed in the last hour, a batch at a time.

        Rows are locked with SKIP LOCKED so that several workers share the work without
        computing the same plan twice; recomputing is idempotent. The cron framework calls
        again while ``remaining`` is positive.
        """
        batch_size = batch_size or int(
            self.env["ir.config_parameter"].sudo().get_param("sales_targets.cron_batch_size", 20)
        )
        limit_date = fields.Date.context_today(self) - relativedelta(months=1)
        stale = fields.Datetime.subtract(fields.Datetime.now(), hours=1)
        self.flush_model()
        domain = [
            ("state", "in", ("approved", "locked")),
            ("date_to", ">=", limit_date),
            "|",
            ("achievement_refreshed_at", "=", False),
            ("achievement_refreshed_at", "<", stale),
        ]
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM sales_target_plan
                 WHERE state IN ('approved', 'locked') AND date_to >= %s
                   AND (achievement_refreshed_at IS NULL OR achievement_refreshed_at < %s)
                 ORDER BY achievement_refreshed_at ASC NULLS FIRST, id
                 LIMIT %s
                 FOR UPDATE SKIP LOCKED
                """,
                limit_date,
                stale,
                batch_size,
            )
        )
        plans = self.browse([row[0] for row in self.env.cr.fetchall()])
        plans._recompute_achievements()
        remaining = self.search_count(domain)
        self.env["ir.cron"]._notify_progress(done=len(plans), remaining=remaining)
        _logger.info("Sales targets: refreshed %s plans, %s left", len(plans), remaining)
        return plans
