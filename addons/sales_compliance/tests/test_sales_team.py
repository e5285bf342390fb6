from odoo import Command
from odoo.addons.sales_compliance.models.sales_compliance_mixin import COMPLIANCE_SKIP
from odoo.addons.sales_compliance.tests.common import ComplianceCase
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install")
class TestSalesTeam(ComplianceCase):
    """The one definition of a salesperson's team and team leader (res.users), for a rep
    who sells in two companies and belongs to two teams of the first one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("sales_team.membership_multi", True)
        cls.company_a = cls.company
        cls.company_b = cls.env["res.company"].create(
            {"name": "Team Branch", "currency_id": cls.company_a.currency_id.id}
        )
        cls.leader_a = new_test_user(
            cls.env, login="team_leader_a", groups="sales_team.group_sale_salesman_all_leads"
        )
        cls.leader_a2 = new_test_user(
            cls.env, login="team_leader_a2", groups="sales_team.group_sale_salesman_all_leads"
        )
        cls.leader_b = new_test_user(
            cls.env,
            login="team_leader_b",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=cls.company_b.id,
        )
        cls.seller = new_test_user(
            cls.env,
            login="team_seller",
            groups="sales_team.group_sale_salesman",
        )
        both = (cls.company_a | cls.company_b).ids
        (cls.seller | cls.leader_b).write({"company_ids": [Command.set(both)]})
        Team = cls.env["crm.team"]
        cls.team_a = Team.create(
            {"name": "East", "company_id": cls.company_a.id, "user_id": cls.leader_a.id}
        )
        cls.team_a2 = Team.create(
            {"name": "Key Accounts", "company_id": cls.company_a.id, "user_id": cls.leader_a2.id}
        )
        cls.team_b = Team.create(
            {"name": "Branch", "company_id": cls.company_b.id, "user_id": cls.leader_b.id}
        )
        # joined East first: Odoo's main team; then the branch (Odoo checks a membership
        # against the user's main company: joined while working for the branch), then
        # Key Accounts
        Member = cls.env["crm.team.member"]
        for team in (cls.team_a, cls.team_b, cls.team_a2):
            cls.seller.company_id = team.company_id
            Member.create({"crm_team_id": team.id, "user_id": cls.seller.id})
        cls.seller.company_id = cls.company_a

    def _team_sql(self, user, company):
        self.env.flush_all()
        team = self.env["res.users"]._sales_team_sql(SQL("%s", user.id), SQL("%s", company.id))
        self.env.cr.execute(SQL("SELECT %s", team))
        return self.env["crm.team"].browse(self.env.cr.fetchone()[0])

    def test_team_per_company(self):
        seller = self.seller.with_user(self.seller)
        self.assertEqual(self.seller.sale_team_id, self.team_a)
        self.assertEqual(seller._sales_team(), self.team_a)
        self.assertEqual(seller._sales_team(self.company_a), self.team_a)
        self.assertEqual(seller._sales_team(self.company_b), self.team_b)
        # the caller keeps its own environment (rights)
        self.assertEqual(seller._sales_team(self.company_b).env.uid, self.seller.id)
        self.assertFalse(self.leader_a._sales_team(self.company_b))
        # the SQL of the reports says the same
        for company in (self.company_a, self.company_b):
            self.assertEqual(self._team_sql(self.seller, company), seller._sales_team(company))
        self.assertFalse(self._team_sql(self.leader_a, self.company_b))

    def test_team_after_leaving_the_main_team(self):
        self.team_a.crm_team_member_ids.filtered(lambda m: m.user_id == self.seller).unlink()
        self.assertEqual(self.seller.sale_team_id, self.team_b)
        self.assertEqual(self.seller._sales_team(self.company_a), self.team_a2)
        self.assertEqual(self.seller._sales_team(self.company_b), self.team_b)
        self.assertEqual(self._team_sql(self.seller, self.company_a), self.team_a2)
        self.assertEqual(self._team_sql(self.seller, self.company_b), self.team_b)

    def test_team_leader_per_company(self):
        seller = self.seller.with_user(self.seller)
        self.assertEqual(seller._sales_team_leader(self.company_a), self.leader_a)
        self.assertEqual(seller._sales_team_leader(self.company_b), self.leader_b)
        self.assertEqual(seller._sales_team_leader(), self.leader_a)
        # leading a team makes nobody the leader of its own leader
        self.assertFalse(self.leader_b._sales_team_leader(self.company_b))

    def test_teams_led(self):
        self.assertEqual(self.leader_b._sales_teams_led(), self.team_b)
        self.assertEqual(
            (self.leader_a | self.leader_b)._sales_teams_led(), self.team_a | self.team_b
        )
        self.assertFalse(self.seller._sales_teams_led())
        self.team_a2.user_id = self.leader_a
        self.assertEqual(self.leader_a._sales_teams_led(), self.team_a | self.team_a2)

    def test_a_leader_oversees_themselves_and_the_members_of_the_teams_they_lead(self):
        """One home for "me and the members of my teams": a rep oversees only themselves."""
        self.assertEqual(self.seller._sales_self_and_team_members(), self.seller)
        overseen = self.leader_b._sales_self_and_team_members()
        self.assertEqual(overseen, self.leader_b | self.team_b.member_ids)
        self.assertIn(self.seller, overseen)

    def test_leader_of_the_other_company_approves_and_sees_credit(self):
        """The team-leader approval level and the credit visibility take the leader of
        the seller's team in the document's company."""
        self.Rule.with_user(self.officer).create(
            {
                "name": "Branch approval",
                "model_name": "sale.order",
                "trigger": "confirm",
                "check": "amount",
                "amount_limit": 10,
                "outcome": "approval",
                "company_id": False,
                "level_ids": [Command.create({"name": "Leader", "approver_type": "team_leader"})],
            }
        )
        customer = self.customer.with_context(compliance_skip=COMPLIANCE_SKIP)
        customer.user_id = self.seller
        order = self._order(user=self.seller, company_id=self.company_b.id, team_id=False)
        self.assertEqual(order.company_id, self.company_b)
        approval = order.action_compliance_request_approval()
        request = self.env["sales.compliance.approval"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        self.assertTrue(approval)
        self.assertEqual(request.step_ids.approver_ids, self.leader_b)
        # the leader of a team of the seller sees their customer's credit
        for leader in (self.leader_a, self.leader_b):
            self.assertTrue(customer.with_user(leader).compliance_credit_visible)
        self.assertFalse(customer.with_user(self.leader).compliance_credit_visible)

    def test_team_discount_ceiling_in_its_company(self):
        Ceiling = self.env["sales.compliance.discount.ceiling"]
        Ceiling.create(
            {"team_id": self.team_b.id, "max_discount": 25, "company_id": self.company_b.id}
        )
        Ceiling.create(
            {"team_id": self.team_a2.id, "max_discount": 40, "company_id": self.company_a.id}
        )
        ceilings = Ceiling._get_user_ceilings(
            self.seller | self.leader_b, self.company_a | self.company_b
        )
        # Key Accounts is not the seller's team in the first company: East is
        self.assertEqual(ceilings[self.seller.id, self.company_a.id], 0)
        self.assertEqual(ceilings[self.seller.id, self.company_b.id], 25)
        # a team's ceiling applies to its leader too
        self.assertEqual(ceilings[self.leader_b.id, self.company_b.id], 25)

    def test_rate_report_team_of_a_customer(self):
        partner = (
            self.env["res.partner"]
            .with_context(compliance_skip=COMPLIANCE_SKIP)
            .create(
                {
                    "name": "Branch Customer",
                    "is_company": True,
                    "company_id": self.company_b.id,
                    "user_id": self.seller.id,
                }
            )
        )
        self.env.flush_all()
        line = self.env["sales.compliance.rate.report"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", partner.id)]
        )
        self.assertEqual(line.team_id, self.team_b)
