from datetime import date
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.actions import form_action
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools.achievement import (
    ACHIEVEMENT_FIELDS,
    DailySeries,
    achievement_values,
    period_start,
    pg_array,
    sum_by_assignee,
    year_before,
)
from ..tools.decomposition import child_periods, last_year_weights, split_amount

PERIOD_TYPES = [
    ("year", "Year"),
    ("quarter", "Quarter"),
    ("month", "Month"),
    ("week", "Week"),
    ("custom", "Custom"),
]


# A target as the achievement computation reads it: plain rows, it runs for every target.
class TargetRow(NamedTuple):
    id: int
    metric_id: int
    assignee_type: str
    user_id: int
    team_id: int
    company_id: int
    date_from: date
    date_to: date
    target_value: float
    tz: str


# Fields written by the achievement computation, not by users.
COMPUTED_FIELDS = {*ACHIEVEMENT_FIELDS, "achievement_date"}


class SalesTarget(models.Model):
    _name = "sales.target"
    _description = "Sales Target"
    _inherit = ["mail.thread"]
    _parent_store = True
    _order = "plan_id, date_from, metric_id, assignee_type, id"

    name = fields.Char(compute="_compute_name", store=True)
    plan_id = fields.Many2one("sales.target.plan", required=True, ondelete="cascade", index=True)
    plan_state = fields.Selection(related="plan_id.state", string="Plan Status")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    parent_id = fields.Many2one("sales.target", ondelete="cascade", index=True)
    parent_path = fields.Char(index=True)
    level = fields.Integer(compute="_compute_level")
    indented_name = fields.Char("Target (tree)", compute="_compute_level")
    child_ids = fields.One2many("sales.target", "parent_id", string="Breakdown")
    metric_id = fields.Many2one("sales.target.metric", required=True, index=True)
    metric_type = fields.Selection(related="metric_id.metric_type")
    assignee_type = fields.Selection(
        [("company", "Company"), ("team", "Sales Team"), ("user", "Salesperson")],
        required=True,
        default="user",
    )
    user_id = fields.Many2one("res.users", string="Salesperson", index=True)
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        index=True,
        compute="_compute_team_id",
        store=True,
        readonly=False,
        help="For a salesperson target, the salesperson's team: its leader sees the target.",
    )
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    period_type = fields.Selection(PERIOD_TYPES, compute="_compute_period_type", store=True)
    target_value = fields.Float(digits="Product Price", tracking=True)
    children_total = fields.Float(compute="_compute_children_total", store=True)
    breakdown_differs = fields.Boolean(
        "Breakdown Mismatch", compute="_compute_children_total", store=True
    )
    breakdown_difference = fields.Float(
        "Breakdown off by", compute="_compute_children_total", store=True
    )
    # Written in bulk by _recompute_plan_achievements
    actual = fields.Float(readonly=True, copy=False)
    actual_to_date = fields.Float(readonly=True, copy=False)
    achievement_pct = fields.Float("Achievement (%)", readonly=True, copy=False, aggregator="avg")
    gap_to_target = fields.Float(
        "Gap",
        readonly=True,
        copy=False,
        help="Target minus actual: what is still to achieve (negative once exceeded).",
    )
    run_rate = fields.Float("Run-rate Projection", readonly=True, copy=False)
    mtd = fields.Float("MTD", readonly=True, copy=False)
    qtd = fields.Float("QTD", readonly=True, copy=False)
    ytd = fields.Float("YTD", readonly=True, copy=False)
    last_year = fields.Float("Same Period Last Year", readonly=True, copy=False)
    yoy_pct = fields.Float("YoY Growth (%)", readonly=True, copy=False, aggregator="avg")
    forecast = fields.Float("Weighted Pipeline", readonly=True, copy=False)
    achievement_date = fields.Datetime("Last Change", readonly=True, copy=False)
    progress = fields.Float(compute="_compute_progress")
    commission_earned = fields.Float(
        "Earned Commission",
        compute="_compute_commission_earned",
        help="Total of the salesperson's confirmed and paid commission statements of the "
        "target's company within the target's period.",
    )

    _sql_constraints = [
        ("date_check", "CHECK (date_from <= date_to)", "A target must end after it starts."),
    ]

    @api.depends("parent_path", "name")
    def _compute_level(self):
        for target in self:
            target.level = max((target.parent_path or "").count("/") - 1, 0)
            target.indented_name = "\u3000" * target.level + (target.name or "")

    @api.depends("user_id", "assignee_type")
    def _compute_team_id(self):
        for target in self:
            if target.assignee_type == "company":
                target.team_id = False
            elif target.assignee_type == "user" and target.user_id and not target.team_id:
                target.team_id = target.user_id._sales_team(target.company_id)

    @api.depends(
        "metric_id",
        "assignee_type",
        "team_id",
        "user_id",
        "date_from",
        "period_type",
        "plan_id.date_from",
    )
    def _compute_name(self):
        for target in self:
            who = {
                "company": target.plan_id.company_id.name or target.env.company.name,
                "team": target.team_id.name,
                "user": target.user_id.name,
            }.get(target.assignee_type)
            target.name = " / ".join(
                str(part) for part in (who, target.metric_id.name, target._period_label()) if part
            )

    def _period_label(self):
        if not self.date_from:
            return ""
        start = self.date_from
        fiscal_month = self.plan_id.date_from.month if self.plan_id.date_from else 1
        fiscal_year = period_start(start, "year", fiscal_month)
        prefix = f"FY{fiscal_year.year}" if fiscal_month != 1 else f"{fiscal_year.year}"
        return {
            "year": prefix,
            "quarter": f"{prefix} Q{(start.month - fiscal_month) % 12 // 3 + 1}",
            "month": f"{start.year}-{start.month:02d}",
            "week": f"{start.isocalendar()[0]}-W{start.isocalendar()[1]:02d}",
        }.get(self.period_type, f"{self.date_from} - {self.date_to}")

    @api.depends("date_from", "date_to")
    def _compute_period_type(self):
        for target in self:
            start, end = target.date_from, target.date_to
            kind = "custom"
            if start and end:
                for candidate, delta in (
                    ("year", relativedelta(years=1)),
                    ("quarter", relativedelta(months=3)),
                    ("month", relativedelta(months=1)),
                    ("week", relativedelta(weeks=1)),
                ):
                    # fiscal years and quarters may start on the first of any month
                    aligned = start.weekday() == 0 if candidate == "week" else start.day == 1
                    if aligned and start + delta - relativedelta(days=1) == end:
                        kind = candidate
                        break
            target.period_type = kind

    @api.depends("target_value", "child_ids.target_value", "metric_id")
    def _compute_children_total(self):
        for target in self:
            values = target.child_ids.mapped("target_value")
            total = sum(values)
            if values and target.metric_id._is_rate_metric():
                # a rate is not split: the breakdown holds when its average is the target
                total /= len(values)
            target.children_total = total
            diff = target.target_value - total
            target.breakdown_differs = bool(target.child_ids) and abs(diff) > 0.005
            target.breakdown_difference = diff if target.child_ids else 0.0

    def _compute_commission_earned(self):
        users = self.filtered(lambda t: t.assignee_type == "user").user_id
        statements = self.env["sales.commission.statement"].sudo()
        rows = (
            statements._read_group(
                [
                    ("user_id", "in", users.ids),
                    ("company_id", "in", self.company_id.ids),
                    # earned once a manager confirmed it; a draft may still change
                    ("state", "in", ("confirmed", "paid")),
                ],
                ["user_id", "company_id", "date_from:day", "date_to:day"],
                ["total_amount:sum"],
            )
            if users
            else []
        )
        for target in self:
            target.commission_earned = sum(
                total
                for user, company, start, end, total in rows
                if target.assignee_type == "user"
                and user == target.user_id
                and company == target.company_id
                and target.date_from <= start
                and end <= target.date_to
            )

    def _compute_progress(self):
        for target in self:
            target.progress = min(target.achievement_pct, 100.0)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("assignee_type", "team_id", "user_id")
    def _check_assignee(self):
        for target in self:
            if target.assignee_type == "team" and not target.team_id:
                raise ValidationError(self.env._("A team target needs a sales team."))
            if target.assignee_type == "user" and not target.user_id:
                raise ValidationError(self.env._("A salesperson target needs a salesperson."))

    @api.constrains("target_value")
    def _check_value(self):
        for target in self:
            if target.target_value < 0:
                raise ValidationError(
                    self.env._(
                        "Target %(name)s cannot be negative (%(value)s).",
                        name=target.display_name,
                        value=target.target_value,
                    )
                )

    @api.constrains("date_from", "date_to", "parent_id", "plan_id")
    def _check_periods(self):
        for target in self:
            plan = target.plan_id
            if target.date_from < plan.date_from or target.date_to > plan.date_to:
                raise ValidationError(
                    self.env._(
                        "Target %(name)s must fall within its plan (%(start)s - %(end)s).",
                        name=target.display_name,
                        start=plan.date_from,
                        end=plan.date_to,
                    )
                )
            parent = target.parent_id
            if parent and (target.date_from < parent.date_from or target.date_to > parent.date_to):
                raise ValidationError(
                    self.env._(
                        "Target %(name)s (%(start)s - %(end)s) lies outside the period of its "
                        "parent %(parent)s (%(pstart)s - %(pend)s).",
                        name=target.display_name,
                        start=target.date_from,
                        end=target.date_to,
                        parent=parent.display_name,
                        pstart=parent.date_from,
                        pend=parent.date_to,
                    )
                )
            if parent and parent.plan_id != plan:
                raise ValidationError(
                    self.env._("A target and its parent must belong to the same plan.")
                )
            if parent and parent.metric_id != target.metric_id:
                raise ValidationError(
                    self.env._("A target and its parent must measure the same metric.")
                )

    @api.constrains("date_from", "date_to", "metric_id", "assignee_type", "team_id", "user_id")
    def _check_overlap(self):
        """Same plan, metric, assignee and periodicity may not overlap in time.

        One query for all the checked targets, so that seeding thousands of targets stays fast.
        """
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT t.id, o.id
                  FROM sales_target t
                  JOIN sales_target o
                    ON o.id != t.id AND o.plan_id = t.plan_id AND o.metric_id = t.metric_id
                   AND o.assignee_type = t.assignee_type AND o.period_type = t.period_type
                   AND o.date_from <= t.date_to AND o.date_to >= t.date_from
                   AND (t.assignee_type = 'company'
                        OR (t.assignee_type = 'user' AND o.user_id = t.user_id)
                        OR (t.assignee_type = 'team' AND o.team_id = t.team_id))
                 WHERE t.id IN %s
                 LIMIT 1
                """,
                tuple(self.ids),
            )
        )
        clash = self.env.cr.fetchone()
        if clash:
            target, other = self.browse(clash[0]), self.browse(clash[1]).sudo()
            raise ValidationError(
                self.env._(
                    "Target %(name)s overlaps %(other)s: same assignee, metric and periodicity.",
                    name=target.display_name,
                    other=other.display_name,
                )
            )

    # ------------------------------------------------------------------
    # Locked and approved plans
    # ------------------------------------------------------------------
    def _record_revisions(self, plans, change, old=None, new=None):
        reason = self.env.context.get("target_revision_reason")
        approved = plans._check_editable(reason)
        self.env["sales.target.revision"].create(
            [
                {
                    "plan_id": target.plan_id.id,
                    "target_id": target.id,
                    "reason": reason,
                    "change": change,
                    "old_value": old if old is not None else target.target_value,
                    "new_value": new if new is not None else target.target_value,
                }
                for target in self.filtered(lambda t: t.plan_id in approved)
            ]
        )

    @api.model_create_multi
    def create(self, vals_list):
        plans = self.env["sales.target.plan"].browse({v.get("plan_id") for v in vals_list})
        plans.exists()._check_editable(self.env.context.get("target_revision_reason"))
        targets = super().create(vals_list)
        targets._record_revisions(plans.exists(), self.env._("Target added"), old=0.0)
        return targets

    def write(self, vals):
        if any(
            name not in COMPUTED_FIELDS and not name.startswith(("message_", "activity_"))
            for name in vals
        ):
            if "target_value" in vals:
                self._record_revisions(
                    self.plan_id, self.env._("Target value"), new=vals["target_value"]
                )
            else:
                self.plan_id._check_editable(self.env.context.get("target_revision_reason"))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_unlocked(self):
        self._record_revisions(self.plan_id, self.env._("Target removed"), new=0.0)

    # ------------------------------------------------------------------
    # Achievement
    # ------------------------------------------------------------------
    def action_refresh_achievement(self):
        """Managers refresh the whole plans; anyone else only their own targets, which reads
        only their own facts (the plan's refresh is set-based SQL over everybody's)."""
        if self.env.user.has_group("sales_targets.group_targets_manager"):
            self.plan_id._recompute_achievements()
            return True
        own = self.filtered(lambda t: t.assignee_type == "user" and t.user_id == self.env.user)
        if not own:
            raise UserError(
                self.env._(
                    "You can refresh your own targets only: ask your manager to refresh the others."
                )
            )
        for plan in own.plan_id:
            plan._recompute_achievements(targets=own.filtered(lambda t, p=plan: t.plan_id == p))
        return True

    @api.model
    def _recompute_plan_achievements(self, plans, today=None, targets=None):
        """Recompute actual, MTD/QTD/YTD, last year and run-rate of every target of ``plans``.

        One grouped query per metric per plan reads the facts of the plan's dates and of the
        year before; the forecast is one more query per plan. The values are written back in
        one UPDATE per plan. The cost does not depend on the number of targets. Days, months
        and quarters, today included, are those of the plan's company's timezone
        (``res.company._sales_tz_sql``).

        :param targets: salesperson targets to refresh alone (a salesperson's own refresh):
            only their salespeople's facts are read and the plan is not stamped, so that the
            cron still refreshes the rest of it.
        """
        self.flush_model()
        user_ids = None
        if targets is not None:
            user_ids = targets.user_id.ids
            if any(t.assignee_type != "user" for t in targets):
                raise UserError(self.env._("Only salesperson targets are refreshed alone."))
        for plan in plans:
            if targets is None:
                # stamped even without targets, so that the cron moves on to other plans
                plan.sudo().write({"achievement_refreshed_at": fields.Datetime.now()})
            # plain rows rather than records: this loop runs for every target of the plan
            self.env.cr.execute(
                SQL(
                    """
                    SELECT t.id, t.metric_id, t.assignee_type, t.user_id, t.team_id,
                           t.company_id, t.date_from, t.date_to, t.target_value, %s
                      FROM sales_target t
                     WHERE t.plan_id = %s AND %s
                    """,
                    plan.company_id._sales_tz_sql(),
                    plan.id,
                    SQL("TRUE") if targets is None else SQL("t.id IN %s", tuple(targets.ids)),
                )
            )
            target_rows = [TargetRow(*row) for row in self.env.cr.fetchall()]
            if not target_rows:
                continue
            plan_today = today or plan.company_id._sales_today(target_rows[0].tz)
            start = year_before(plan.date_from)
            metrics = self.metric_id.browse({row.metric_id for row in target_rows})
            series_by_metric = {
                metric.id: metric._fetch_series(
                    start, plan.date_to, plan.company_id, user_ids, reader=plan.manager_id
                )
                for metric in metrics
            }
            forecast_metric_ids = {m.id for m in metrics if m._has_pipeline_forecast()}
            forecast = self._build_series(
                self.env["crm.lead"]._forecast_facts(
                    plan.date_from, plan.date_to, plan.company_id, user_ids
                )
            )
            rows = []
            for row in target_rows:
                key = {
                    "user": ("user", row.user_id),
                    "team": ("team", row.team_id),
                    "company": ("company", row.company_id),
                }[row.assignee_type]
                values = achievement_values(
                    series_by_metric[row.metric_id].get(key),
                    row.date_from,
                    row.date_to,
                    float(row.target_value or 0.0),
                    plan_today,
                    plan.date_from.month,
                )
                pipeline = forecast.get(key)
                values["forecast"] = (
                    pipeline.total(row.date_from, row.date_to)
                    if pipeline and row.metric_id in forecast_metric_ids
                    else 0.0
                )
                rows.append((row.id, *(values[f] for f in ACHIEVEMENT_FIELDS)))
            self._write_achievements(rows)
        self.invalidate_model([*ACHIEVEMENT_FIELDS, "achievement_date"])
        return True

    @api.model
    def _build_series(self, facts, rate=False):
        """Daily series per assignee key from fact rows (user, team, company, day, overlay,
        amount[, documents]); ``rate``: the series of a rate metric (``_is_rate_metric``)."""
        documents = sum_by_assignee(facts, 6) if rate else {}
        return {
            key: DailySeries(days, documents.get(key) if rate else None)
            for key, days in sum_by_assignee(facts, 5).items()
        }

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
            [fields.Datetime.now(), *(pg_array(column) for column in zip(*rows, strict=True))],
        )

    def action_open_revise(self):
        self.ensure_one()
        return form_action(
            "sales.target.revise",
            target="new",
            context={"default_target_id": self.id, "default_new_value": self.target_value},
        )

    def action_open_decompose(self):
        self.ensure_one()
        return form_action(
            "sales.target.decompose",
            target="new",
            name=self.env._("Decompose %s", self.display_name),
            context={"default_target_id": self.id},
        )

    # ------------------------------------------------------------------
    # Decomposition (目标分解)
    # ------------------------------------------------------------------
    def _child_periods(self, period_type):
        """Consecutive (start, end) periods of the given type inside this target's period."""
        self.ensure_one()
        return child_periods(
            self.date_from, self.date_to, period_type, self.plan_id.date_from.month
        )

    def _last_year_series(self):
        """Daily series of last year's facts of this target's metric, by assignee key."""
        self.ensure_one()
        year = relativedelta(years=1)
        return self.metric_id._fetch_series(
            self.date_from - year,
            self.date_to - year,
            self.company_id,
            reader=self.plan_id.manager_id,
        )

    def _decomposition_weights(self, specs, method, series=None):
        """Weights of the children described by ``specs`` (dicts with the child's assignee and
        dates) for the 'history' and 'seasonality' methods, from last year's actuals
        (``series``: this target's or an ancestor's ``_last_year_series()``)."""
        self.ensure_one()
        series = self._last_year_series() if series is None else series
        weights = last_year_weights(specs, method, series, self.company_id.id)
        if not any(weights):
            raise UserError(
                self.env._(
                    "There are no actuals last year for %s: choose another split method.",
                    self.display_name,
                )
            )
        return weights

    @api.model
    def _split_amount(self, total, weights, uplift_pct=0.0):
        """Split ``total`` (raised or lowered by ``uplift_pct``) proportionally to ``weights``.

        Values are rounded to the company currency; the last share takes the rounding rest so
        that the children add up exactly to the uplifted total (``tools/decomposition.py``).
        """
        if any(w < 0 for w in weights):
            raise ValidationError(self.env._("Split weights cannot be negative."))
        if not sum(weights):
            raise UserError(self.env._("The split weights add up to zero."))
        metric = self[:1].metric_id
        rounding = (self[:1].company_id.currency_id or self.env.company.currency_id).rounding
        return split_amount(
            total, weights, rounding, uplift_pct, rate=bool(metric) and metric._is_rate_metric()
        )

    def _split_over_time(self, period_type, method="equal", uplift_pct=0.0, series=None):
        """Split this target over its periods: equally, or for the history and seasonality
        methods by last year's monthly profile of the company (``series``, see
        ``_decomposition_weights``). Without any actual last year, the split is equal and the
        target's chatter says so."""
        self.ensure_one()
        periods = self._child_periods(period_type)
        specs = [
            {
                "assignee_type": self.assignee_type,
                "team_id": self.team_id.id,
                "user_id": self.user_id.id,
                "date_from": start,
                "date_to": end,
            }
            for start, end in periods
        ]
        weights = [1.0] * len(specs)
        if method in ("history", "seasonality"):
            try:
                weights = self._decomposition_weights(specs, "seasonality", series)
            except UserError:
                self.sudo().message_post(
                    body=self.env._("No actuals last year: the target was split equally.")
                )
        values = self._split_amount(self.target_value, weights, uplift_pct)
        for spec, value in zip(specs, values, strict=True):
            spec["value"] = value
        return self._create_children(specs)

    def _create_children(self, specs):
        """Create the children of this target from specs with their values."""
        self.ensure_one()
        vals_list = [
            {
                "plan_id": self.plan_id.id,
                "parent_id": self.id,
                "metric_id": self.metric_id.id,
                "assignee_type": spec["assignee_type"],
                "team_id": spec.get("team_id") or False,
                "user_id": spec.get("user_id") or False,
                "date_from": spec["date_from"],
                "date_to": spec["date_to"],
                "target_value": spec["value"],
            }
            for spec in specs
        ]
        return self.create(vals_list)
