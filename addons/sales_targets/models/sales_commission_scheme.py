from datetime import date
from itertools import pairwise

from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.deferred_checks import deferred_checks
from odoo.exceptions import UserError, ValidationError
from odoo.tools.float_utils import float_compare

BASES = [
    ("revenue", "Revenue"),
    ("margin", "Gross margin"),
    ("collected", "Collected cash"),
    ("achievement", "Achievement of a target"),
]
# The fields that make a scheme a version (or a scenario) of another: written only by the
# version flow (``_version_write``), behind this marker no client can send.
_VERSION_FLOW = object()
_VERSION_FLOW_KEY = "sales_commission_scheme_version_flow"
VERSION_FIELDS = (
    "version_of_id",
    "version_kind",
    "version_number",
    "valid_from",
    "scenario_source_id",
)
# What a version holds: the terms the formula pays on (a scenario changes some of them)
TERM_FIELDS = (
    "base",
    "metric_id",
    "tier_mode",
    "accelerator",
    "threshold_pct",
    "cap_amount",
    "bonus_amount",
)

BASE_METRIC = {
    "revenue": "sales_targets.metric_revenue",
    "margin": "sales_targets.metric_margin",
    "collected": "sales_targets.metric_collected",
}


class SalesCommissionScheme(models.Model):
    """A commission scheme (提成方案): what is paid on, and the tiers by achievement."""

    _name = "sales.commission.scheme"
    _description = "Commission Scheme"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    base = fields.Selection(BASES, required=True, default="revenue", tracking=True)
    metric_id = fields.Many2one(
        "sales.target.metric",
        string="Target Metric",
        compute="_compute_metric_id",
        store=True,
        readonly=False,
        help="Achievement is measured against the salesperson's target of this metric for the "
        "statement period.",
    )
    tier_mode = fields.Selection(
        [
            ("progressive", "Progressive: each band at its own rate"),
            ("flat", "Flat: the reached tier's rate on everything"),
        ],
        required=True,
        default="progressive",
        tracking=True,
    )
    tier_ids = fields.One2many("sales.commission.tier", "scheme_id", string="Tiers", copy=True)
    accelerator = fields.Float(
        default=1.0,
        tracking=True,
        help="Multiplier of the rate of tiers starting at 100% achievement or more.",
    )
    threshold_pct = fields.Float(
        "Minimum Achievement (%)", tracking=True, help="Below it, nothing is paid."
    )
    cap_amount = fields.Monetary(
        "Cap", currency_field="currency_id", tracking=True, help="Most paid per statement; 0: none."
    )
    bonus_amount = fields.Monetary(
        "Target Bonus",
        currency_field="currency_id",
        help="For achievement schemes: the bonus paid at 100% achievement.",
    )
    date_from = fields.Date("Valid From")
    date_to = fields.Date("Valid To")
    assignment_ids = fields.One2many(
        "sales.commission.assignment", "scheme_id", string="Assignments", copy=False
    )
    # Versions (sales_commission_scheme_version.py): the scheme itself is version 1, valid
    # from the beginning; later versions and what-if scenarios are schemes pointing to it.
    version_of_id = fields.Many2one(
        "sales.commission.scheme",
        index=True,
        ondelete="cascade",
        readonly=True,
        copy=False,
    )
    version_kind = fields.Selection(
        [("version", "Version"), ("scenario", "Scenario")],
        default="version",
        required=True,
        readonly=True,
        copy=False,
        help="A version pays from its date; a scenario is a what-if copy and never pays.",
    )
    version_number = fields.Integer(default=1, readonly=True, copy=False)
    valid_from = fields.Date(
        "Version Valid From",
        readonly=True,
        copy=False,
        tracking=True,
        help="The first day this version pays on. Empty on version 1: from the beginning.",
    )
    version_ids = fields.One2many(
        "sales.commission.scheme",
        "version_of_id",
        string="Later Versions",
        domain=[("version_kind", "=", "version")],
        copy=False,
    )
    scenario_ids = fields.One2many(
        "sales.commission.scheme",
        "version_of_id",
        string="Scenarios",
        domain=[("version_kind", "=", "scenario")],
        copy=False,
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._in_version_flow() and any(
            vals.get(name) for vals in vals_list for name in VERSION_FIELDS
        ):
            raise UserError(
                self.env._("Versions and scenarios are made from a scheme, with their buttons.")
            )
        with deferred_checks(self.env):
            return super().create(vals_list)

    def write(self, vals):
        if not self._in_version_flow() and any(name in vals for name in VERSION_FIELDS):
            raise UserError(
                self.env._("Versions and scenarios are made from a scheme, with their buttons.")
            )
        if "tier_ids" not in vals:
            return super().write(vals)
        with deferred_checks(self.env):
            return super().write(vals)

    def _in_version_flow(self):
        return self.env.context.get(_VERSION_FLOW_KEY) is _VERSION_FLOW

    def _version_flow(self):
        """These records in the version flow, where the version fields may be written."""
        return self.with_context(**{_VERSION_FLOW_KEY: _VERSION_FLOW})

    def _version_write(self, vals):
        """The one way the version fields change (see ``_VERSION_FLOW``)."""
        return self._version_flow().write(vals)

    def _version_create(self, vals_list):
        return self._version_flow().create(vals_list)

    def _root(self):
        """The scheme a version or scenario belongs to (itself for version 1)."""
        self.ensure_one()
        return self.version_of_id or self

    def _terms_at(self, day):
        """The version of this scheme that pays on ``day``: the latest valid from that day
        or before (version 1 is valid from the beginning). Scenarios never pay."""
        self.ensure_one()
        root = self.sudo()._root()
        versions = (root | root.version_ids).filtered(
            lambda v: v.version_kind == "version" and (not v.valid_from or v.valid_from <= day)
        )
        return max(versions, key=lambda v: (v.valid_from or date.min, v.id)).with_env(self.env)

    @api.depends("base")
    def _compute_metric_id(self):
        for scheme in self:
            if scheme.base in BASE_METRIC:
                scheme.metric_id = self.env.ref(BASE_METRIC[scheme.base], False)

    @api.constrains(
        "tier_ids",
        "accelerator",
        "cap_amount",
        "threshold_pct",
        "bonus_amount",
        "base",
        "metric_id",
    )
    def _check_tiers(self):
        for scheme in self:
            if scheme.base == "achievement" and not scheme.metric_id:
                raise ValidationError(
                    self.env._("An achievement scheme needs the target metric it is measured on.")
                )
            if scheme.accelerator < 1:
                raise ValidationError(self.env._("The accelerator must be at least 1."))
            if scheme.cap_amount < 0 or scheme.threshold_pct < 0 or scheme.bonus_amount < 0:
                raise ValidationError(self.env._("Cap, threshold and bonus cannot be negative."))
            tiers = scheme.tier_ids.sorted("from_pct")
            if not tiers:
                continue
            if float_compare(tiers[0].from_pct, 0.0, precision_digits=4):
                raise ValidationError(
                    self.env._("The first tier of %s must start at 0%% achievement.", scheme.name)
                )
            for tier, following in pairwise(tiers):
                if not tier.to_pct:
                    raise ValidationError(self.env._("Only the last tier may be open-ended."))
                comparison = float_compare(tier.to_pct, following.from_pct, precision_digits=4)
                if comparison < 0:
                    raise ValidationError(
                        self.env._(
                            "Tiers leave a gap between %(end)s%% and %(start)s%%.",
                            end=tier.to_pct,
                            start=following.from_pct,
                        )
                    )
                if comparison > 0:
                    raise ValidationError(
                        self.env._(
                            "Tiers overlap between %(start)s%% and %(end)s%%.",
                            start=following.from_pct,
                            end=tier.to_pct,
                        )
                    )
            if tiers[-1].to_pct:
                raise ValidationError(
                    self.env._("The last tier must be open-ended (no upper bound).")
                )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for scheme in self:
            if scheme.date_from and scheme.date_to and scheme.date_from > scheme.date_to:
                raise ValidationError(self.env._("The commission scheme must end after it starts."))

    # ------------------------------------------------------------------
    # The one formula
    # ------------------------------------------------------------------
    def _commission(self, base_amount, target_value):
        """Commission for a base amount against a target.

        Money bases (revenue, margin, cash): tiers are bands of achievement; a progressive plan
        pays each band of the base at its own rate, a flat plan pays the whole base at the
        rate of the reached tier. Achievement plans pay a share (the tier rate) of the target
        bonus. Tiers from 100% up are multiplied by the accelerator; the threshold and the cap
        apply last.

        :return: dict with achievement, amount, rate (effective %), tier, next_pct,
                 next_gap (base still needed for the next tier), next_amount
        """
        self.ensure_one()
        tiers = self.tier_ids.sorted("from_pct")
        achievement = base_amount / target_value * 100.0 if target_value else 0.0
        scale = self.bonus_amount if self.base == "achievement" else target_value
        amount = self._commission_at(achievement, base_amount, scale, tiers, bool(target_value))
        tier = tiers.filtered(lambda t: t.from_pct <= achievement < (t.to_pct or float("inf")))
        following = tiers.filtered(lambda t: t.from_pct > achievement)[:1]
        result = {
            "achievement": achievement,
            "amount": amount,
            "rate": amount / base_amount * 100.0 if base_amount else 0.0,
            "tier": tier[:1],
            "next_pct": 0.0,
            "next_gap": 0.0,
            "next_amount": 0.0,
        }
        next_pct = following.from_pct if following else 0.0
        if self.threshold_pct > achievement and (not next_pct or self.threshold_pct < next_pct):
            next_pct = self.threshold_pct
        if next_pct and target_value:
            # the base that reaches the next tier, and what it would pay
            next_base = target_value * next_pct / 100.0
            result.update(
                next_pct=next_pct,
                next_gap=next_base - base_amount,
                next_amount=self._commission_at(next_pct, next_base, scale, tiers, True),
            )
        return result

    def _commission_at(self, achievement, base_amount, scale, tiers, has_target):
        if not tiers:
            return 0.0
        if has_target and achievement < self.threshold_pct:
            return 0.0
        if not has_target:
            # No target to measure achievement: the first tier's rate on the base.
            return 0.0 if self.base == "achievement" else base_amount * tiers[0].rate / 100.0

        def rate(tier):
            return tier.rate * (self.accelerator if tier.from_pct >= 100.0 else 1.0)

        if self.tier_mode == "flat":
            reached = tiers.filtered(lambda t: t.from_pct <= achievement)[-1:]
            if not reached:
                return 0.0
            paid_on = scale if self.base == "achievement" else base_amount
            amount = paid_on * rate(reached) / 100.0
        else:
            amount = 0.0
            for tier in tiers:
                upper = tier.to_pct or float("inf")
                portion = max(0.0, min(achievement, upper) - tier.from_pct)
                amount += portion / 100.0 * scale * rate(tier) / 100.0
        if self.cap_amount:
            amount = min(amount, self.cap_amount)
        return amount

    def _assigned_users(self, date_from, date_to):
        """{scheme: users} assigned on a day of the period, directly or through their team."""
        result = {}
        for scheme in self:
            if (scheme.date_from and scheme.date_from > date_to) or (
                scheme.date_to and scheme.date_to < date_from
            ):
                continue
            users = self.env["res.users"]
            for assignment in scheme.assignment_ids:
                if (assignment.date_from and assignment.date_from > date_to) or (
                    assignment.date_to and assignment.date_to < date_from
                ):
                    continue
                users |= assignment.user_id | assignment.team_id.member_ids
            if users:
                result[scheme] = users
        return result
