from datetime import timedelta

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CollectionCase, RpcError, call_kw


@tagged("post_install", "-at_install")
class TestTrustHandoverCompanies(HttpCase):
    """A hand-over moves only what the manager who runs it may act on: the departing rep
    must belong to the manager's companies only, and nothing of another company moves,
    activities and customers without a company included."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company_a = env.company
        cls.company_b = env["res.company"].create({"name": "西安分公司"})
        manager, salesman = "sales_team.group_sale_manager", "sales_team.group_sale_salesman"

        def user(login, groups, company, companies):
            return new_test_user(
                env,
                login=login,
                groups=groups,
                company_id=company.id,
                company_ids=[Command.set(companies.ids)],
            )

        both = cls.company_a | cls.company_b
        cls.manager_a = user("trust_ho_manager_a", manager, cls.company_a, cls.company_a)
        cls.manager_ab = user("trust_ho_manager_ab", manager, cls.company_a, both)
        cls.rep_b = user("trust_ho_rep_b", salesman, cls.company_b, cls.company_b)
        cls.rep_ab = user("trust_ho_rep_ab", salesman, cls.company_a, both)
        cls.successor = user("trust_ho_successor", salesman, cls.company_a, both)
        Partner = env["res.partner"].sudo()
        # customers without a company, held by the reps
        cls.customer_b = Partner.create(
            {"name": "西安客户", "is_company": True, "user_id": cls.rep_b.id, "customer_rank": 1}
        )
        cls.customer_ab = Partner.create(
            {"name": "共享客户", "is_company": True, "user_id": cls.rep_ab.id, "customer_rank": 1}
        )
        cls.activity_b = cls.customer_b.activity_schedule(
            "mail.mail_activity_data_todo", user_id=cls.rep_b.id, summary="Call back"
        )
        cls.lead_b = env["crm.lead"].create(
            {
                "name": "西安 deal",
                "type": "opportunity",
                "user_id": cls.rep_ab.id,
                "company_id": cls.company_b.id,
                "partner_id": cls.customer_ab.id,
            }
        )
        cls.lead_a = env["crm.lead"].create(
            {
                "name": "杭州 deal",
                "type": "opportunity",
                "user_id": cls.rep_ab.id,
                "company_id": cls.company_a.id,
                "partner_id": cls.customer_ab.id,
            }
        )
        cls.activity_lead_b = cls.lead_b.activity_schedule(
            "mail.mail_activity_data_todo", user_id=cls.rep_ab.id, summary="Visit in Xi'an"
        )
        cls.activity_lead_a = cls.lead_a.activity_schedule(
            "mail.mail_activity_data_todo", user_id=cls.rep_ab.id, summary="Visit in Hangzhou"
        )
        for user in (cls.manager_a, cls.manager_ab):
            user.password = user.login

    def _hand_over(self, manager, rep):
        self.authenticate(manager.login, manager.login)
        wizard_id = call_kw(
            self,
            "sales.handover.wizard",
            "create",
            [
                {
                    "from_user_id": rep.id,
                    "successor_ids": [Command.set(self.successor.ids)],
                    "distribution": "single",
                }
            ],
        )
        call_kw(self, "sales.handover.wizard", "action_confirm", [[wizard_id]])

    def test_a_manager_of_company_a_cannot_hand_over_a_rep_of_company_b(self):
        with self.assertRaises(RpcError) as error:
            self._hand_over(self.manager_a, self.rep_b)
        self.assertIn("西安分公司", str(error.exception))
        self.assertEqual(self.customer_b.user_id, self.rep_b)
        self.assertEqual(self.activity_b.user_id, self.rep_b)
        self.assertFalse(
            self.env["sales.handover.log"].search([("from_user_id", "=", self.rep_b.id)])
        )

    def test_a_manager_of_both_companies_moves_only_the_company_of_the_hand_over(self):
        self._hand_over(self.manager_ab, self.rep_ab)  # in company A
        self.assertEqual(self.customer_ab.user_id, self.successor, "no company: moved")
        self.assertEqual(self.lead_a.user_id, self.successor)
        self.assertEqual(self.activity_lead_a.user_id, self.successor)
        self.assertEqual(self.lead_b.user_id, self.rep_ab, "company B stays")
        self.assertEqual(self.activity_lead_b.user_id, self.rep_ab, "company B's activity stays")
        log = self.env["sales.handover.log"].search([("from_user_id", "=", self.rep_ab.id)])
        self.assertNotIn(
            self.activity_lead_b.id,
            log.line_ids.filtered(lambda line: line.res_model == "mail.activity").mapped("res_id"),
        )


@tagged("post_install", "-at_install")
class TestTrustHandoverFollowUps(CollectionCase):
    """The collection follow-ups of a rep's orders go to the successor with the orders,
    counted in the preview and listed in the log."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="trust_ho_fu_manager", groups="sales_team.group_sale_manager"
        )
        cls.successor = new_test_user(
            cls.env, login="trust_ho_fu_successor", groups="sales_team.group_sale_salesman"
        )
        cls.order = cls.make_order(amount=1000)
        cls.plan = cls.order.collection_plan_ids
        first = cls.plan.installment_ids.sorted("date_due")[0]
        first.date_due = cls.today - timedelta(days=8)
        # the cron's "7 days overdue" reminder: an activity of the rep on the plan
        cls.env["sales.collection.plan"]._collection_run(today=cls.days(cls, 0))
        cls.reminder = cls.plan.activity_ids.filtered(lambda a: a.user_id == cls.rep)

    def _wizard(self):
        return (
            self.env["sales.handover.wizard"]
            .with_user(self.manager)
            .create(
                {
                    "from_user_id": self.rep.id,
                    "successor_ids": [Command.set(self.successor.ids)],
                    "distribution": "single",
                }
            )
        )

    def test_the_reminder_on_the_collection_plan_goes_to_the_successor(self):
        self.assertTrue(self.reminder, "the 7 days overdue reminder of the rep")
        wizard = self._wizard()
        wizard.action_preview()
        line = wizard.preview_line_ids.filtered(lambda line: line.successor_id == self.successor)
        # the reminder, and the return visit (回访) of the customer's first order
        return_visit = self.env["mail.activity"].search(
            [
                ("user_id", "=", self.rep.id),
                ("activity_type_id", "=", self.env["mail.activity"]._sales_return_visit_type().id),
            ]
        )
        self.assertEqual(len(return_visit), 1)
        self.assertEqual(line.activity_count, len(self.reminder) + 1)
        action = wizard.action_confirm()
        log = self.env["sales.handover.log"].browse(action["res_id"])
        self.assertEqual(log.state, "done")
        self.assertEqual(self.reminder.user_id, self.successor)
        self.assertEqual(self.order.user_id, self.successor)
        self.assertEqual(self.plan.user_id, self.successor)
        self.assertIn(
            ("mail.activity", self.reminder.id),
            [(line.res_model, line.res_id) for line in log.line_ids],
        )
        self.assertEqual(log.activity_count, len(self.reminder) + 1)  # and the return visit
