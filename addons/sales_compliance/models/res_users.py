from odoo import api, models
from odoo.tools import SQL


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

    @api.model
    def _sales_team_sql(self, user, company):
        """``_sales_team`` as an SQL expression, for the reports that are SQL views: the
        team of the user ``user`` (an SQL expression of a res_users id) in ``company``
        (an SQL expression of a res_company id). Kept next to ``_sales_team``, which it
        must say the same as: the main team in its company (or without company), else
        the first team of that company the user joined."""
        return SQL(
            """COALESCE(
                (SELECT main.id
                   FROM res_users main_user
                   JOIN crm_team main ON main.id = main_user.sale_team_id
                  WHERE main_user.id = %(user)s
                    AND (main.company_id IS NULL OR main.company_id = %(company)s)),
                (SELECT membership.crm_team_id
                   FROM crm_team_member membership
                   JOIN crm_team team ON team.id = membership.crm_team_id
                  WHERE membership.user_id = %(user)s AND membership.active
                    AND (team.company_id IS NULL OR team.company_id = %(company)s)
                  ORDER BY membership.create_date, membership.id
                  LIMIT 1))""",
            user=user,
            company=company,
        )

    def _sales_team_leader(self, company=None):
        """The team leader of a salesperson: the leader (``crm.team.user_id``) of their team.

        Leadership comes from the team alone. The groups "Team Leader" (targets) and "Sales
        Desk" (assistant) grant rights; they do not make anyone the leader of anybody.
        """
        return self.env["res.users"].browse(self._sales_team(company).sudo().user_id.id)

    def _sales_teams_led(self):
        """The teams whose leader is one of these users."""
        return self.env["crm.team"].sudo().search([("user_id", "in", self.ids)]).sudo(False)

    def _sales_teams_joined_or_led(self):
        """The teams these users are members of or lead (as superuser: memberships are not
        secret)."""
        return self.sudo().crm_team_member_ids.crm_team_id | self._sales_teams_led().sudo()

    def _sales_self_and_team_members(self):
        """These users and the members of the sales teams they lead: whom a leader
        oversees (the customers they see, the day they follow)."""
        return self | self._sales_teams_led().sudo().member_ids.sudo(False)

    def _sales_self_and_team_members_by_user(self):
        """``{user: user._sales_self_and_team_members()}`` for each of these users, in the
        queries of one call."""
        led = {}
        for team in self._sales_teams_led().sudo():
            led.setdefault(team.user_id, team.browse())
            led[team.user_id] |= team
        return {
            user: user | led.get(user, self.env["crm.team"]).member_ids.sudo(False) for user in self
        }

    def _sales_person_today(self, moment=None):
        """The day a person sees: today (or the day of the UTC datetime ``moment``) in the
        timezone of the first of these users, else of the acting user: their browser's (the
        context's) when they act themselves, else their own, else their company's.

        Only for what a person is shown (My day, the day a form proposes). Every business
        date (protection ends, due dates, reviews valid until, visits, reminders) is the
        company's day, ``res.company._sales_today``, whoever acts.
        """
        user = self[:1] or self.env.user
        return self.env["res.company"]._sales_day(user._sales_person_tz(), moment)

    def _sales_person_tz(self):
        """The timezone of ``_sales_person_today``."""
        user = self[:1] or self.env.user
        tz = (user == self.env.user and self.env.context.get("tz")) or user.tz
        return tz or user.sudo().company_id._sales_tz()
