from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesComplianceDiscountCeiling(models.Model):
    """Highest line discount a user may give without approval, per group, team or user.

    A user's ceiling is the highest of the ceilings that apply to them; with none, the
    default ceiling of the settings applies.
    """

    _name = "sales.compliance.discount.ceiling"
    _description = "Discount Ceiling"
    _order = "max_discount desc, id"

    name = fields.Char(compute="_compute_name", store=True)
    group_id = fields.Many2one("res.groups")
    team_id = fields.Many2one("crm.team", string="Sales Team")
    user_id = fields.Many2one("res.users")
    max_discount = fields.Float(string="Maximum Discount (%)", required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    active = fields.Boolean(default=True)

    @api.depends("group_id", "team_id", "user_id", "max_discount")
    def _compute_name(self):
        for ceiling in self:
            who = ceiling.user_id.name or ceiling.team_id.name or ceiling.group_id.full_name or ""
            ceiling.name = f"{who}: {ceiling.max_discount:g}%"

    @api.constrains("max_discount", "group_id", "team_id", "user_id")
    def _check_ceiling(self):
        for ceiling in self:
            if not 0 <= ceiling.max_discount <= 100:
                raise ValidationError(
                    self.env._(
                        "A discount ceiling must be between 0%% and 100%% (got %(value)s%%).",
                        value=ceiling.max_discount,
                    )
                )
            if not (ceiling.group_id or ceiling.team_id or ceiling.user_id):
                raise ValidationError(
                    self.env._("A discount ceiling applies to a group, a team or a user.")
                )

    @api.model
    def _get_user_ceilings(self, users, companies):
        """{(user id, company id): ceiling %} for ``users`` in each of ``companies`` in
        a constant number of queries. A ceiling applies in its own company only: the
        document's company, never the companies the user happens to have active."""
        default = float(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("sales_compliance.default_discount_ceiling", "0")
            or 0
        )
        ceilings = self.sudo().search([("company_id", "in", companies.ids)])
        # a team's ceiling applies to the salespeople of the team (their team in the
        # company, res.users._sales_team) and to its leader
        Team = self.env["crm.team"]
        led = users._sales_teams_led().sudo() if ceilings.team_id else Team
        result = {}
        for user in users.sudo():
            for company in companies:
                teams = Team
                if ceilings.team_id:
                    leads = led.filtered(lambda t, u=user: t.user_id == u)
                    teams = user._sales_team(company) | leads
                best = default
                for ceiling in ceilings:
                    if ceiling.company_id == company and (
                        (ceiling.user_id and ceiling.user_id == user)
                        or (ceiling.group_id and ceiling.group_id in user.groups_id)
                        or (ceiling.team_id and ceiling.team_id in teams)
                    ):
                        best = max(best, ceiling.max_discount)
                result[user.id, company.id] = best
        return result
