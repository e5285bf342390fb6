import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.spreadsheet import xlsx_table
from .sales_commission_statement_engine import NO_TARGET

# The replay's results and the fields it records are written by the replay alone
# (``_flow_write``), behind this marker no client can send.
_WHATIF_FLOW = object()
_WHATIF_FLOW_KEY = "sales_commission_whatif_flow"
FLOW_FIELDS = (
    "state",
    "date_from",
    "date_to",
    "version_ids",
    "reference_target",
    "line_ids",
    "curve_ids",
)
# What a replay depends on: changing one of a done what-if sends it back to draft
INPUT_FIELDS = (
    "company_id",
    "scheme_id",
    "scenario_ids",
    "period_kind",
    "date_start",
    "coverage",
    "team_id",
    "user_ids",
)
MAX_SCENARIOS = 3
# the payout curves: attainment 0 to 200 % by 10 %, at the median target (or this one)
CURVE_POINTS = range(0, 201, 10)
DEFAULT_REFERENCE_TARGET = 100000.0


@dataclass
class Column:
    """A column of the replay: the actual payout or a scenario."""

    label: str
    sequence: int
    scenario: object = None  # the scenario scheme; None for the actual column


@dataclass
class RepTotals:
    """What one column pays one rep over the replayed periods."""

    base: float = 0.0
    target: float = 0.0
    amount: float = 0.0
    clawbacks: float = 0.0
    tiers: list = field(default_factory=list)


def _tier_label(tier):
    if not tier:
        return ""
    if tier.to_pct:
        return f"{tier.from_pct:g}\N{EN DASH}{tier.to_pct:g} %"
    return f"{tier.from_pct:g} % +"


class SalesCommissionWhatif(models.Model):
    """A what-if (假设分析): up to three commission scenarios replayed on past periods, next to
    what was actually paid. Read only for everything a rep sees: nothing is written to
    statements, targets or their chatter; the statements' own facts (``_period_facts``) and
    formula (``_commission``) make the figures, so a replay pays exactly as a statement would.
    """

    _name = "sales.commission.whatif"
    _description = "Commission What-if"
    _order = "id desc"

    name = fields.Char(required=True, default=lambda self: self.env._("What-if"))
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    scheme_id = fields.Many2one(
        "sales.commission.scheme",
        string="Commission Scheme",
        required=True,
        domain="[('version_of_id', '=', False), ('company_id', '=', company_id)]",
    )
    scenario_ids = fields.Many2many(
        "sales.commission.scheme",
        "sales_commission_whatif_scenario_rel",
        "whatif_id",
        "scenario_id",
        string="Scenarios",
        domain="[('version_of_id', '=', scheme_id), ('version_kind', '=', 'scenario')]",
        help="One to three scenarios of the scheme, replayed side by side with what was paid.",
    )
    version_ids = fields.Many2many(
        "sales.commission.scheme",
        "sales_commission_whatif_version_rel",
        "whatif_id",
        "version_id",
        string="Actual Versions",
        readonly=True,
        help="The versions of the scheme that paid the replayed periods.",
    )
    period_kind = fields.Selection(
        [
            ("month", "A month"),
            ("quarter", "A quarter"),
            ("last_12_months", "The last 12 months"),
        ],
        string="Period",
        required=True,
        default="month",
        help="A quarter replays as one quarterly statement; the last 12 months as 12 monthly "
        "statements, up to last month.",
    )
    date_start = fields.Date(
        "Starting",
        default=lambda self: (
            self.env.company._sales_today().replace(day=1) - relativedelta(months=1)
        ),
        help="The first month of the month or quarter replayed.",
    )
    date_from = fields.Date("Replayed From", readonly=True)
    date_to = fields.Date("Replayed To", readonly=True)
    coverage = fields.Selection(
        [("all", "Everyone"), ("team", "A team"), ("users", "Some reps")],
        required=True,
        default="all",
        help="Everyone: the salespeople the scheme is assigned to in the period.",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
    )
    user_ids = fields.Many2many(
        "res.users",
        "sales_commission_whatif_user_rel",
        "whatif_id",
        "user_id",
        string="Salespeople",
        domain="[('share', '=', False)]",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done")], default="draft", required=True, readonly=True
    )
    reference_target = fields.Monetary(
        readonly=True,
        help="The target of the payout curves: the median target of the covered reps in the "
        "replayed periods (100,000 when none has a target).",
    )
    line_ids = fields.One2many(
        "sales.commission.whatif.line", "whatif_id", string="Results", readonly=True
    )
    curve_ids = fields.One2many(
        "sales.commission.whatif.curve", "whatif_id", string="Payout Curves", readonly=True
    )

    # ------------------------------------------------------------------
    # Protection
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get(_WHATIF_FLOW_KEY) is not _WHATIF_FLOW:
            for vals in vals_list:
                if (
                    any(vals.get(name) for name in FLOW_FIELDS if name != "state")
                    or vals.get("state", "draft") != "draft"
                ):
                    raise UserError(self.env._("A what-if starts as a draft: run it."))
        return super().create(vals_list)

    def write(self, vals):
        if self.env.context.get(_WHATIF_FLOW_KEY) is _WHATIF_FLOW:
            return super().write(vals)
        if any(name in vals for name in FLOW_FIELDS):
            raise UserError(self.env._("The results of a what-if are written by its replay."))
        done = self.filtered(lambda w: w.state == "done")
        result = super().write(vals)
        if done and any(name in vals for name in INPUT_FIELDS):
            # its results no longer answer the question: back to draft, to run again
            done._clear_results()
        return result

    def _flow_write(self, vals):
        return self.with_context(**{_WHATIF_FLOW_KEY: _WHATIF_FLOW}).write(vals)

    def _clear_results(self):
        self.sudo().line_ids.unlink()
        self.sudo().curve_ids.unlink()
        self._flow_write({"state": "draft", "version_ids": [fields.Command.clear()]})

    @api.constrains("scheme_id", "scenario_ids", "company_id")
    def _check_scenarios(self):
        for whatif in self:
            scheme = whatif.sudo().scheme_id
            if scheme.version_of_id:
                raise ValidationError(
                    self.env._("A what-if replays a commission scheme, not one of its versions.")
                )
            if scheme.company_id != whatif.company_id:
                raise ValidationError(
                    self.env._("The commission scheme belongs to another company.")
                )
            if len(whatif.scenario_ids) > MAX_SCENARIOS:
                raise ValidationError(
                    self.env._(
                        "A what-if compares at most %s scenarios: remove some.", MAX_SCENARIOS
                    )
                )
            foreign = whatif.sudo().scenario_ids.filtered(
                lambda s, scheme=scheme: s.version_kind != "scenario" or s.version_of_id != scheme
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "%(scenario)s is not a scenario of %(scheme)s: a what-if compares "
                        "scenarios of its own scheme.",
                        scenario=foreign[0].display_name,
                        scheme=scheme.display_name,
                    )
                )

    @api.constrains("period_kind", "date_start", "coverage", "team_id", "user_ids", "company_id")
    def _check_period_and_coverage(self):
        for whatif in self:
            if whatif.period_kind != "last_12_months" and not whatif.date_start:
                raise ValidationError(self.env._("Choose the month or quarter to replay."))
            if whatif.coverage == "team" and not whatif.team_id:
                raise ValidationError(self.env._("Choose the team the what-if covers."))
            if whatif.coverage == "users" and not whatif.user_ids:
                raise ValidationError(self.env._("Choose the salespeople the what-if covers."))
            # names of the covered team and reps outside the what-if's company
            covered = whatif.sudo()
            foreign = covered.team_id.filtered(
                lambda t, w=whatif: t.company_id and t.company_id != w.company_id
            ).mapped("name") + covered.user_ids.filtered(
                lambda u, w=whatif: w.company_id not in u.company_ids
            ).mapped("name")
            if foreign:
                raise ValidationError(
                    self.env._(
                        "A what-if covers the salespeople and teams of its company only: "
                        "%s is of another company.",
                        foreign[0],
                    )
                )

    # ------------------------------------------------------------------
    # Run
    # ------------------------------------------------------------------
    def _check_rights(self):
        """Managers and finance of the what-if's company only (access rules), whatever path."""
        self.check_access("write")
        self.env["sales.commission.scheme"]._check_scenario_rights()

    def action_run(self):
        self._check_rights()
        for whatif in self:
            whatif._replay()
        return True

    def _periods(self):
        """The statement periods replayed: a month, one quarterly period, or the 12 months
        up to last month in the company's calendar."""
        self.ensure_one()
        if self.period_kind == "last_12_months":
            this_month = self.company_id._sales_today().replace(day=1)
            starts = [this_month - relativedelta(months=back) for back in range(12, 0, -1)]
            return [(start, start + relativedelta(months=1, days=-1)) for start in starts]
        start = self.date_start.replace(day=1)
        months = 3 if self.period_kind == "quarter" else 1
        return [(start, start + relativedelta(months=months, days=-1))]

    def _period_label(self, periods):
        first, last = periods[0][0], periods[-1][1]
        if len(periods) == 1 and first.month == last.month:
            return f"{first:%Y-%m}"
        return f"{first:%Y-%m} \N{EN DASH} {last:%Y-%m}"

    def _covered_users(self, date_from, date_to):
        self.ensure_one()
        if self.coverage == "users":
            return self.user_ids
        if self.coverage == "team":
            return self.team_id.member_ids
        return self.scheme_id._assigned_users(date_from, date_to).get(
            self.scheme_id, self.env["res.users"]
        )

    def _columns(self):
        columns = [Column(self.env._("Actual"), 0)]
        for sequence, scenario in enumerate(self.scenario_ids, start=1):
            columns.append(Column(scenario.name, sequence, scenario))
        return columns

    def _replay(self):
        """Replay the scenarios on the periods; write the result lines and curves. Per period,
        the facts are read once per distinct measure (base and metric) for every column."""
        self.ensure_one()
        if not self.scenario_ids:
            raise UserError(self.env._("Choose one to three scenarios to replay."))
        self._check_scenarios()
        self.scenario_ids._check_scenario_changes()
        # rights checked (``_check_rights``): statements, targets and documents are read as
        # the statements compute them, whoever may not open them one by one
        whatif = self.sudo()
        self.env.flush_all()  # the facts are read with SQL
        scheme = whatif.scheme_id
        currency = scheme.company_id.currency_id
        periods = whatif._periods()
        date_from, date_to = periods[0][0], periods[-1][1]
        users = whatif._covered_users(date_from, date_to)
        user_ids = users.ids
        Statement = self.env["sales.commission.statement"].sudo().browse()
        paid = {
            (s.user_id.id, s.date_from, s.date_to): s.total_amount
            for s in Statement.search(
                [
                    ("scheme_id", "=", scheme.id),
                    ("user_id", "in", user_ids),
                    ("state", "in", ("confirmed", "paid")),
                    ("date_from", ">=", date_from),
                    ("date_to", "<=", date_to),
                ]
            )
        }
        columns = whatif._columns()
        totals = defaultdict(RepTotals)  # (column sequence, user id): RepTotals
        versions = scheme.browse()
        targets = []
        has_data = bool(paid)
        facts_of = {}  # (period, base, metric): PeriodFacts, read once for every column

        def facts(terms, start, end):
            key = (start, terms.base, terms.metric_id.id)
            if key not in facts_of:
                facts_of[key] = Statement._period_facts(scheme, terms, start, end, user_ids)
            return facts_of[key]

        for start, end in periods:
            actual_terms = scheme._terms_at(start)
            versions |= actual_terms
            actual_facts = facts(actual_terms, start, end)
            # the period's clawbacks take back what was paid: the same in every column
            clawbacks = {
                user_id: sum(
                    clawback.amount for clawback in actual_facts.clawbacks.get(user_id, [])
                )
                for user_id in user_ids
            }
            for column in columns:
                terms = column.scenario or actual_terms
                period_facts = facts(terms, start, end)
                for user_id in user_ids:
                    target = period_facts.targets.get(user_id, NO_TARGET).value
                    base = period_facts.base.get(user_id, 0.0)
                    result = terms._commission(base, target)
                    rep = totals[column.sequence, user_id]
                    rep.base += base
                    rep.target += target
                    rep.clawbacks += clawbacks[user_id]
                    rep.tiers.append(result["tier"])
                    if column.scenario is None and (user_id, start, end) in paid:
                        rep.amount += paid[user_id, start, end]
                    else:
                        rep.amount += result["amount"] + clawbacks[user_id]
                    if column.scenario is None and target:
                        targets.append(target)
                    has_data = has_data or bool(base or target or clawbacks[user_id])
        if not has_data:
            raise UserError(
                self.env._(
                    "No sales, targets or statements in %s for the covered reps.",
                    self._period_label(periods),
                )
            )
        revenue = whatif._range_series("sales_targets.metric_revenue", date_from, date_to, users)
        margin = whatif._range_series("sales_targets.metric_margin", date_from, date_to, users)
        teams = {user.id: user._sales_team(scheme.company_id).id for user in users}
        lines = []
        for column in columns:
            for user_id in user_ids:
                rep = totals[column.sequence, user_id]
                actual = totals[0, user_id].amount
                difference = rep.amount - actual
                outcome = "same"
                if currency.compare_amounts(difference, 0.0) > 0:
                    outcome = "gains"
                elif currency.compare_amounts(difference, 0.0) < 0:
                    outcome = "loses"
                reached = max(
                    (tier for tier in rep.tiers if tier), key=lambda t: t.from_pct, default=None
                )
                lines.append(
                    {
                        "whatif_id": self.id,
                        "user_id": user_id,
                        "team_id": teams[user_id] or False,
                        "column_label": column.label,
                        "column_sequence": column.sequence,
                        "scenario_id": column.scenario.id if column.scenario else False,
                        "revenue": revenue.get(user_id, 0.0),
                        "margin": margin.get(user_id, 0.0),
                        "base_amount": rep.base,
                        "target_value": rep.target,
                        "attainment_pct": rep.base / rep.target * 100.0 if rep.target else 0.0,
                        "tier_name": _tier_label(reached),
                        "amount": rep.amount,
                        "clawback_amount": rep.clawbacks,
                        "actual_amount": actual,
                        "difference": difference,
                        "difference_pct": difference / abs(actual) * 100.0 if actual else 0.0,
                        "outcome": outcome,
                        "cost_pct": rep.amount / revenue[user_id] * 100.0
                        if revenue.get(user_id)
                        else 0.0,
                        "margin_cost_pct": rep.amount / margin[user_id] * 100.0
                        if margin.get(user_id)
                        else 0.0,
                    }
                )
        reference = statistics.median(targets) if targets else DEFAULT_REFERENCE_TARGET
        last_terms = scheme._terms_at(periods[-1][0])
        curves = [
            {
                "whatif_id": self.id,
                "column_label": column.label,
                "column_sequence": column.sequence,
                "scenario_id": column.scenario.id if column.scenario else False,
                "attainment": attainment,
                "payout": (column.scenario or last_terms)._commission(
                    reference * attainment / 100.0, reference
                )["amount"],
            }
            for column in columns
            for attainment in CURVE_POINTS
        ]
        whatif.line_ids.unlink()
        whatif.curve_ids.unlink()
        self.env["sales.commission.whatif.line"].sudo().create(lines)
        self.env["sales.commission.whatif.curve"].sudo().create(curves)
        self._flow_write(
            {
                "state": "done",
                "date_from": date_from,
                "date_to": date_to,
                "reference_target": reference,
                "version_ids": [fields.Command.set(versions.ids)],
            }
        )
        return True

    def _range_series(self, metric_xmlid, date_from, date_to, users):
        """{user id: the metric over the range}, read once for all the reps."""
        metric = self.env.ref(metric_xmlid).sudo()
        series = metric._fetch_series(date_from, date_to, self.company_id, users.ids)
        return {
            user.id: series[("user", user.id)].total(date_from, date_to)
            for user in users
            if ("user", user.id) in series
        }

    # ------------------------------------------------------------------
    # Screens and export
    # ------------------------------------------------------------------
    def _check_done(self):
        self.ensure_one()
        if self.state != "done":
            raise UserError(self.env._("Run the what-if first."))

    def action_open_curves(self):
        self._check_rights()
        self._check_done()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_targets.action_sales_commission_whatif_curve"
        )
        action["domain"] = [("whatif_id", "=", self.id)]
        return action

    def action_open_lines(self):
        self._check_rights()
        self._check_done()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_targets.action_sales_commission_whatif_line"
        )
        action["domain"] = [("whatif_id", "=", self.id)]
        return action

    def _export_header(self):
        return [
            self.env._("Salesperson"),
            self.env._("Sales Team"),
            self.env._("Column"),
            self.env._("Revenue"),
            self.env._("Gross Margin"),
            self.env._("Base"),
            self.env._("Target"),
            self.env._("Attainment (%)"),
            self.env._("Tier Reached"),
            self.env._("Commission"),
            self.env._("Actually Paid"),
            self.env._("Difference"),
            self.env._("Difference (%)"),
            self.env._("Cost of Sales (%)"),
            self.env._("Of Gross Margin (%)"),
        ]

    def _export_xlsx(self):
        rows = (
            (
                line.user_id.name,
                line.team_id.name,
                line.column_label,
                line.revenue,
                line.margin,
                line.base_amount,
                line.target_value,
                round(line.attainment_pct, 2),
                line.tier_name,
                line.amount,
                line.actual_amount,
                line.difference,
                round(line.difference_pct, 2),
                round(line.cost_pct, 2),
                round(line.margin_cost_pct, 2),
            )
            for line in self.line_ids
        )
        return xlsx_table(
            self.env._("What-if"),
            self._export_header(),
            rows,
            money_columns={3, 4, 5, 6, 9, 10, 11},
            widths=[(0, 2, 24), (3, 14, 14)],
        )

    def action_export_xlsx(self):
        self._check_rights()
        self._check_done()
        return self.env["sales.commission.statement"]._download(
            self._export_xlsx(),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            name="commission_whatif",
        )
