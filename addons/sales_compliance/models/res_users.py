from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _sales_team(self, company=None):
        """The sales team a salesperson sells for, the one definition of the suite.

        It is Odoo's main team (``sale_team_id``, the first membership). In a company other
        than that team's, it is their first team of that company, so that a rep who sells for
        two companies is counted in the right team of each. Targets, statements, forecasts,
        split credit, reports and the assistant all take the team from here.
        """
        self.ensure_one()
        user = self.sudo()  # memberships are not secret; the caller keeps its own rights
        team = user.sale_team_id
        if company and team.company_id and team.company_id != company:
            team = user.crm_team_member_ids.crm_team_id.filtered(
                lambda t: not t.company_id or t.company_id == company
            )[:1]
        return self.env["crm.team"].browse(team.id)

    def _sales_team_leader(self, company=None):
        """The team leader of a salesperson: the leader (``crm.team.user_id``) of their team.

        Leadership comes from the team alone. The groups "Team Leader" (targets) and "Sales
        Desk" (assistant) grant rights; they do not make anyone the leader of anybody.
        """
        return self.env["res.users"].browse(self._sales_team(company).sudo().user_id.id)

    def _sales_teams_led(self):
        """The teams whose leader is one of these users."""
        return self.env["crm.team"].sudo().search([("user_id", "in", self.ids)]).sudo(False)
