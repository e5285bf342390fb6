import bisect
import logging
from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

PERIODICITIES = [("year", "Year"), ("quarter", "Quarter"), ("month", "Month"), ("week", "Week")]
# Fields of an approved plan that may change without a revision.
FREE_FIELDS = {"state", "name", "achievement_refreshed_at", "description"}


def period_start(day, kind):
    if kind == "month":
        return day.replace(day=1)
    if kind == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


class _Series:
    """Cumulative sums of daily amounts, to sum any date range in O(log n)."""

    def __init__(self, by_day):
        self.days = sorted(by_day)
        self.cumul = []
        total = 0.0
        for day in self.days:
            total += by_day[day]
            self.cumul.append(total)

    def total(self, start, end):
        if not self.days or start > end:
            return 0.0
        hi = bisect.bisect_right(self.days, end)
        lo = bisect.bisect_left(self.days, start)
        if hi == 0:
            return 0.0
        return self.cumul[hi - 1] - (self.cumul[lo - 1] if lo else 0.0)


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
        """Raise when targets of these plans may not change; return plans needing a revision."""
        locked = self.filtered(lambda p: p.state == "locked")
        if locked:
            raise UserError(
                self.env._(
                    "Plan %s is locked: unlock it before changing it.", locked[0].display_name
                )
            )
        approved = self.filtered(lambda p: p.state == "approved")
        if approved and not reason:
            raise UserError(
                self.env._(
                    "Plan %s is approved: give a reason for the change with the Revise button.",
                    approved[0].display_name,
                )
            )
        return approved

    def write(self, vals):
        changed = set(vals) - FREE_FIELDS
        if changed and not self.env.context.get("sales_target_bypass_lock"):
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
            raise UserError(self.env._("Only sales target managers can change a plan's state."))

    def action_approve(self):
        self._check_manager()
        self.filtered(lambda p: p.state == "draft").write({"state": "approved"})

    def action_lock(self):
        self._check_manager()
        self.filtered(lambda p: p.state == "approved").write({"state": "locked"})

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
            plan.state = "approved"

    def action_reset_draft(self):
        self._check_manager()
        self.filtered(lambda p: p.state == "approved").write({"state": "draft"})

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
        self._recompute_achievements()
        return True

    # ------------------------------------------------------------------
    # Achievement
    # ------------------------------------------------------------------
    def _recompute_achievements(self, today=None):
        """Recompute actual, MTD/QTD/YTD, last year and run-rate of every target of the plans.

        One grouped query per metric per plan reads the facts of the plan's dates and of the
        year before; the forecast is one more query per plan. The values are written back in
        one UPDATE per plan. The cost does not depend on the number of targets.
        """
        today = today or fields.Date.context_today(self)
        Target = self.env["sales.target"]
        Target.flush_model()
        for plan in self:
            targets = Target.search([("plan_id", "=", plan.id)])
            if not targets:
                continue
            start = plan.date_from - relativedelta(years=1)
            series_by_metric = {}
            for metric in targets.metric_id:
                facts = metric._fetch_facts(start, plan.date_to, plan.company_id)
                series_by_metric[metric.id] = self._build_series(facts)
            forecast = self._build_series(
                self.env["crm.lead"]._forecast_facts(plan.date_from, plan.date_to, plan.company_id)
            )
            rows = []
            for target in targets:
                key = target._assignee_key()
                series = series_by_metric[target.metric_id.id].get(key)
                values = target._achievement_values(series, today)
                fc = forecast.get(key)
                values["forecast"] = (
                    fc.total(target.date_from, target.date_to)
                    if fc and target.metric_id.metric_type in ("revenue", "invoiced")
                    else 0.0
                )
                rows.append((target.id, *(values[f] for f in ACHIEVEMENT_FIELDS)))
            self._write_achievements(rows)
            plan.sudo().with_context(sales_target_bypass_lock=True).write(
                {"achievement_refreshed_at": fields.Datetime.now()}
            )
        Target.invalidate_model([*ACHIEVEMENT_FIELDS, "achievement_date"])
        return True

    @api.model
    def _build_series(self, facts):
        by_key = defaultdict(lambda: defaultdict(float))
        for user_id, team_id, company_id, day, overlay, amount in facts:
            amount = float(amount or 0.0)
            if user_id:
                by_key[("user", user_id)][day] += amount
            if not overlay:
                if team_id:
                    by_key[("team", team_id)][day] += amount
                by_key[("company", company_id)][day] += amount
        return {key: _Series(days) for key, days in by_key.items()}

    def _write_achievements(self, rows):
        columns = SQL(", ").join(SQL.identifier(name) for name in ACHIEVEMENT_FIELDS)
        sets = SQL(", ").join(
            SQL("%s = v.%s", SQL.identifier(name), SQL.identifier(name))
            for name in ACHIEVEMENT_FIELDS
        )
        for index in range(0, len(rows), 5000):
            chunk = rows[index : index + 5000]
            values = SQL(", ").join(
                SQL("(%s)", SQL(", ").join(SQL("%s::numeric", v) for v in row)) for row in chunk
            )
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE sales_target t SET %(sets)s, achievement_date = now() at time zone 'UTC'
                      FROM (VALUES %(values)s) AS v(id, %(columns)s)
                     WHERE t.id = v.id
                    """,
                    sets=sets,
                    values=values,
                    columns=columns,
                )
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
