from odoo import Command, api, fields, models
from odoo.addons.sales_compliance.tools.actions import form_action
from odoo.exceptions import UserError

METHODS = [
    ("equal", "Equal shares"),
    ("weights", "Weights"),
    ("history", "Last year's share"),
    ("seasonality", "Last year's seasonality"),
    ("manual", "Manual entry"),
]


class SalesTargetDecompose(models.TransientModel):
    """Split a target into children across time or organisation.

    The wizard only collects choices; the split itself is done by sales.target
    (_child_periods, _decomposition_weights, _split_amount, _create_children).
    """

    _name = "sales.target.decompose"
    _description = "Decompose a Target"

    target_id = fields.Many2one("sales.target", required=True, ondelete="cascade")
    plan_state = fields.Selection(related="target_id.plan_state")
    target_value = fields.Float(related="target_id.target_value")
    dimension = fields.Selection(
        [("time", "Over time"), ("team", "To sales teams"), ("user", "To salespeople")],
        required=True,
        default="time",
    )
    period_type = fields.Selection(
        [("quarter", "Quarters"), ("month", "Months"), ("week", "Weeks")],
        default="month",
        required=True,
    )
    also_by_period = fields.Boolean(
        "Then Split Each over Time",
        help="After splitting to teams or salespeople, split each new target over the periods.",
    )
    team_ids = fields.Many2many("crm.team", string="Sales Teams")
    user_ids = fields.Many2many("res.users", string="Salespeople")
    method = fields.Selection(METHODS, required=True, default="equal")
    uplift_pct = fields.Float("Uplift (%)", help="Raise (or lower, if negative) every share.")
    reason = fields.Text(help="Required when the plan is approved; recorded in its revisions.")
    line_ids = fields.One2many("sales.target.decompose.line", "wizard_id", string="Split")

    @api.onchange("dimension", "target_id")
    def _onchange_dimension(self):
        target = self.target_id
        if self.dimension == "team" and not self.team_ids:
            self.team_ids = self.env["crm.team"].search(
                [("company_id", "in", (False, target.company_id.id))]
            )
        if self.dimension == "user" and not self.user_ids and target.team_id:
            self.user_ids = target.team_id.member_ids

    def _specs(self):
        """Children to create: assignee and dates, without values."""
        self.ensure_one()
        target = self.target_id
        base = {
            "assignee_type": target.assignee_type,
            "team_id": target.team_id.id,
            "user_id": target.user_id.id,
        }
        if self.dimension == "time":
            return [
                dict(base, date_from=start, date_to=end, label=f"{start} - {end}")
                for start, end in target._child_periods(self.period_type)
            ]
        dates = {"date_from": target.date_from, "date_to": target.date_to}
        if self.dimension == "team":
            if not self.team_ids:
                raise UserError(self.env._("Choose the sales teams to split the target to."))
            return [
                dict(dates, assignee_type="team", team_id=team.id, user_id=False, label=team.name)
                for team in self.team_ids
            ]
        if not self.user_ids:
            raise UserError(self.env._("Choose the salespeople to split the target to."))
        return [
            dict(
                dates,
                assignee_type="user",
                team_id=user._sales_team(target.company_id).id or target.team_id.id,
                user_id=user.id,
                label=user.name,
            )
            for user in self.user_ids
        ]

    def action_compute(self):
        """Fill the split lines with the values of the chosen method."""
        self.ensure_one()
        specs = self._specs()
        target = self.target_id
        if self.method in ("history", "seasonality"):
            if self.method == "seasonality" and self.dimension != "time":
                raise UserError(self.env._("Seasonality splits a target over time only."))
            weights = target._decomposition_weights(specs, self.method)
        else:
            weights = [1.0] * len(specs)
        values = target._split_amount(target.target_value, weights, self.uplift_pct)
        self.line_ids = [Command.clear()] + [
            Command.create(
                {
                    "label": spec["label"],
                    "assignee_type": spec["assignee_type"],
                    "team_id": spec["team_id"] or False,
                    "user_id": spec["user_id"] or False,
                    "date_from": spec["date_from"],
                    "date_to": spec["date_to"],
                    "weight": weight,
                    "value": value,
                }
            )
            for spec, weight, value in zip(specs, weights, values, strict=True)
        ]
        return self._reopen()

    def _reopen(self):
        return form_action(
            self._name,
            self.id,
            target="new",
            name=self.env._("Decompose %s", self.target_id.display_name),
        )

    def action_apply(self):
        self.ensure_one()
        if not self.line_ids:
            self.action_compute()
        target = self.target_id
        lines = self.line_ids
        if self.method == "weights":
            values = target._split_amount(
                target.target_value, lines.mapped("weight"), self.uplift_pct
            )
            for line, value in zip(lines, values, strict=True):
                line.value = value
        specs = [
            {
                "assignee_type": line.assignee_type,
                "team_id": line.team_id.id,
                "user_id": line.user_id.id,
                "date_from": line.date_from,
                "date_to": line.date_to,
                "value": line.value,
            }
            for line in lines
        ]
        target = target.with_context(target_revision_reason=self.reason)
        children = target._create_children(specs)
        if self.also_by_period and self.dimension != "time":
            # the children share the target's metric and company, within its dates: last
            # year's facts are read once for all of them
            series = (
                target._last_year_series() if self.method in ("history", "seasonality") else None
            )
            for child in children:
                child._split_over_time(self.period_type, self.method, series=series)
        return {
            "type": "ir.actions.act_window",
            "res_model": "sales.target",
            "view_mode": "list,form",
            "name": self.env._("Breakdown of %s", self.target_id.display_name),
            "domain": [("id", "child_of", self.target_id.id)],
            "context": {"search_default_group_parent": 0},
        }
