"""What the group robots receive of this addon's events: each event once per receiving
robot (the team's robot, else the company's), in the robot's language, never for a robot
without the event's flag nor for a robot of another company."""

from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import CollectionCase, ContractCase, MyDayCase
from .common_complaint import ComplaintCase
from .common_robot_pushes import RobotPushMixin
from .test_contract_renewal import AFTER, in_force


@tagged("post_install", "-at_install")
class TestDigestPushes(RobotPushMixin, MyDayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("sales_assistant.digest_hour", 7)
        cls.env["ir.config_parameter"].set_param("sales_assistant.digest_enabled", "True")
        cls.leader.tz = "UTC"
        lead = cls.make_lead(cls.rep, cls.stage_bidding, "Valve retrofit")
        cls.make_activity(lead, cls.rep, cls.call_type, days=-1, summary="Call back")
        cls.make_robots(cls.team)

    def send(self, now=None):
        """The digests of the leader only (not of the database's other users)."""
        Digest = self.env["sales.assistant.digest"]
        original = type(Digest)._digest_due

        def _digest_due(model, now=None):
            return [due for due in original(model, now) if due[0] == self.leader.id]

        # after the digest hour (7:00 in the leader's UTC), whatever the hour of the run
        now = now or fields.Datetime.now().replace(hour=8, minute=0, second=0, microsecond=0)
        with patch.object(type(Digest), "_digest_due", _digest_due):
            return Digest._send_digests(now=now)

    def test_the_leader_digest_pushes_the_team_day_once(self):
        self.send()
        message = self.pushed("digest")
        self.assertEqual(message.robot_id, self.team_robot, "the team's robot, not the company's")
        day = self.env["sales.assistant.digest"].search([("user_id", "=", self.leader.id)])
        self.assertEqual(message.key, f"digest-{self.team.id}-{day.digest_date}")
        self.assertIn("Activities for Today and Overdue", message.body)
        self.assertIn(f"/odoo/crm.team/{self.team.id}", message.body)
        day.unlink()  # a digest sent again the same day (a rerun of a failed send)
        self.send()
        self.assertEqual(self.pushed("digest"), message, "one push per team and day")

    def test_a_chinese_robot_reads_the_team_day_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["sales_assistant"], ["zh_CN"])
        self.team_robot.lang = "zh_CN"
        self.send()
        self.assertIn("今日及逾期活动", self.pushed("digest").body)

    def test_a_leader_of_two_teams_tells_each_team_only_its_own_day(self):
        north = self.env["crm.team"].create(
            {"name": "North", "user_id": self.leader.id, "company_id": self.env.company.id}
        )
        north_robot = self.make_robot(
            "North robot", team_id=north.id, company_id=self.env.company.id
        )
        self.send()
        self.assertIn(
            "Activities for Today and Overdue", self.pushed("digest", self.team_robot).body
        )
        north_day = self.pushed("digest", north_robot)
        self.assertEqual(
            north_day.key,
            self.pushed("digest", self.team_robot).key.replace(
                f"digest-{self.team.id}-", f"digest-{north.id}-"
            ),
        )
        self.assertNotIn(
            "Activities for Today and Overdue",
            north_day.body,
            "the rep's call of the first team is not the second team's business",
        )

    def test_a_robot_without_the_digest_gets_nothing(self):
        self.team_robot.push_digest = False
        self.company_robot.push_digest = False
        self.send()
        self.assertFalse(self.pushed("digest"))


@tagged("post_install", "-at_install")
class TestCollectionPushes(RobotPushMixin, CollectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep.mobile = "13900000001"
        cls.leader.mobile = "13900000002"
        cls.finance.mobile = "13900000003"
        cls.order = cls.make_order(amount=1000)
        cls.plan = cls.order.collection_plan_ids
        cls.make_robots(cls.team)

    def test_a_reminder_is_pushed_once_to_the_team_robot_mentioning_the_rep(self):
        self.run_cron()
        message = self.pushed("collections")
        self.assertEqual(message.robot_id, self.team_robot)
        reminder = self.plan.reminder_ids
        self.assertEqual(
            message.key, f"collection-{reminder.installment_id.id}-level-{reminder.level_id.id}"
        )
        self.assertEqual(message.mention_mobiles, "13900000001")
        self.assertIn(self.order.name, message.body)
        self.assertIn(f"/odoo/sales.collection.plan/{self.plan.id}", message.body)
        self.run_cron()
        self.assertEqual(self.pushed("collections"), message, "twice pushes once")

    def test_an_escalation_mentions_the_leader_and_finance(self):
        self.run_cron(days=28)
        escalated = self.pushed("collections").filtered(lambda m: "escalated" in m.title)
        self.assertEqual(len(escalated), 1)
        self.assertEqual(
            set(escalated.mention_mobiles.split(",")),
            {"13900000001", "13900000002", "13900000003"},
        )

    def test_a_team_without_a_robot_uses_the_company_robot(self):
        self.team_robot.team_id = self.other_team
        self.run_cron()
        self.assertEqual(self.pushed("collections").robot_id, self.company_robot)

    def test_a_broken_promise_is_pushed_once(self):
        promise = (
            self.env["sales.collection.promise"]
            .with_user(self.rep)
            .create(
                {
                    "plan_id": self.plan.id,
                    "date_promised": self.today + timedelta(days=5),
                    "amount": 300,
                    "promised_by": "财务 王经理",
                }
            )
        )
        self.run_cron(days=6)
        self.assertEqual(promise.state, "broken")
        message = self.pushed("promises")
        self.assertEqual(message.robot_id, self.team_robot)
        self.assertEqual(message.key, f"promise-broken-{promise.id}")
        self.assertEqual(set(message.mention_mobiles.split(",")), {"13900000001", "13900000002"})
        self.assertIn("王经理", message.body)
        self.run_cron(days=6)
        self.assertEqual(self.pushed("promises"), message)

    def test_without_robots_a_batch_of_reminders_costs_one_query(self):
        self.env["sales.robot"].sudo().search([]).unlink()
        self.run_cron(days=28)
        reminders = self.plan.reminder_ids
        self.assertEqual(len(reminders), 2)
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            reminders._push_to_robots()

    def test_a_robot_without_the_flags_gets_nothing(self):
        (self.team_robot | self.company_robot).write(
            {"push_collections": False, "push_promises": False}
        )
        self.run_cron(days=28)
        self.assertFalse(self.pushed("collections"))


@tagged("post_install", "-at_install")
class TestLateDeliveryPushes(RobotPushMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(
            cls.env, login="push_late_rep", groups="sales_team.group_sale_salesman"
        )
        cls.rep.mobile = "13700000001"
        cls.team = cls.env["crm.team"].create(
            {"name": "Late East", "member_ids": [Command.set(cls.rep.ids)]}
        )
        product = cls.env["product.product"].create({"name": "Conveyor belt", "type": "consu"})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.env["res.partner"].create({"name": "苏州恒通物流"}).id,
                "user_id": cls.rep.id,
                "team_id": cls.team.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 3})],
            }
        )
        cls.order.action_confirm()
        cls.Late = cls.env["sales.late.delivery"]
        cls.make_robots(cls.team)

    def _overdue(self, order, days=2):
        company = self.env.company
        order.picking_ids.scheduled_date = company._sales_utc(
            company._sales_today() - timedelta(days=days)
        )

    def test_a_late_delivery_is_pushed_once_mentioning_the_rep(self):
        self._overdue(self.order)
        self.Late._detect_all()
        late = self.order.late_delivery_ids
        # the demo's orders may be late today too: this order's push only
        message = self.pushed("late_deliveries").filtered(
            lambda m: m.key == f"late-delivery-{late.id}"
        )
        self.assertEqual(message.robot_id, self.team_robot)
        self.assertEqual(message.mention_mobiles, "13700000001")
        self.assertIn(self.order.name, message.title)
        pushed = self.pushed("late_deliveries")
        self.Late._detect_all()
        self.assertEqual(self.pushed("late_deliveries"), pushed, "each late delivery once")

    def test_a_robot_without_late_deliveries_gets_nothing(self):
        (self.team_robot | self.company_robot).push_late_deliveries = False
        self._overdue(self.order)
        self.Late._detect_all()
        self.assertFalse(self.pushed("late_deliveries"))


@tagged("post_install", "-at_install")
class TestComplaintPushes(RobotPushMixin, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leader.mobile = "13600000001"
        cls.desk.mobile = "13600000002"
        cls.make_robots(cls.team)

    def test_a_new_complaint_is_pushed_to_the_team_robot(self):
        complaint = self.file()
        message = self.pushed("complaints")
        self.assertEqual(message.robot_id, self.team_robot)
        self.assertEqual(message.key, f"complaint-{complaint.id}-new")
        self.assertEqual(set(message.mention_mobiles.split(",")), {"13600000001", "13600000002"})
        self.assertIn(f"/odoo/sales.complaint/{complaint.id}", message.body)

    def test_a_critical_complaint_is_pushed_new_and_critical(self):
        complaint = self.file(severity="critical")
        self.assertEqual(
            set(self.pushed("complaints").mapped("key")),
            {f"complaint-{complaint.id}-new", f"complaint-{complaint.id}-leader_alerted_at"},
        )

    def test_an_overdue_complaint_is_pushed_escalated_once(self):
        now = fields.Datetime.now()
        with freeze_time(now - timedelta(days=10)):
            complaint = self.file()
        with freeze_time(now):
            self.env["sales.complaint"]._escalate_overdue()
            self.env["sales.complaint"]._escalate_overdue()
        escalated = self.pushed("complaints").filtered(lambda m: m.key.endswith("escalated_at"))
        self.assertEqual(escalated.key, f"complaint-{complaint.id}-escalated_at")
        self.assertEqual(escalated.robot_id, self.team_robot)

    def test_a_robot_of_another_company_never_receives(self):
        far_team = self.env["crm.team"].create(
            {"name": "Far team", "company_id": self.other_company.id}
        )
        far = self.make_robot("Far", team_id=far_team.id, company_id=self.other_company.id)
        far_company = self.make_robot("Far company", company_id=self.other_company.id)
        self.team_robot.active = False
        self.file()
        self.assertEqual(self.pushed("complaints").robot_id, self.company_robot)
        self.assertFalse(self.pushed("complaints", far) | self.pushed("complaints", far_company))

    def test_a_robot_without_complaints_gets_nothing(self):
        (self.team_robot | self.company_robot).push_complaints = False
        self.file(severity="critical")
        self.assertFalse(self.pushed("complaints"))


@tagged("post_install", "-at_install")
class TestContractPushes(RobotPushMixin, ContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.company.contract_renewal_days = 30
        cls.rep.mobile = "13500000001"

    def test_a_contract_to_renew_is_pushed_once_mentioning_the_rep(self):
        contract = in_force(self.env, self.customer, date(2027, 2, 5), self.rep)
        self.make_robots(contract.team_id)
        with freeze_time(AFTER):
            self.env["sales.contract"]._contract_renewal_run()
            self.env["sales.contract"]._contract_renewal_run()
        message = self.pushed("contracts")
        self.assertEqual(message.robot_id, self.team_robot)
        self.assertEqual(message.key, f"contract-expiry-{contract.id}-2027-02-05")
        self.assertEqual(message.mention_mobiles, "13500000001")
        self.assertIn("2027", message.body)

    def test_a_robot_without_contracts_gets_nothing(self):
        contract = in_force(self.env, self.customer, date(2027, 2, 5), self.rep)
        self.make_robots(contract.team_id)
        (self.team_robot | self.company_robot).push_contracts = False
        with freeze_time(AFTER):
            self.env["sales.contract"]._contract_renewal_run()
        self.assertFalse(self.pushed("contracts"))


@tagged("post_install", "-at_install")
class TestRobotForm(TransactionCase):
    def test_the_robot_form_offers_every_event_of_the_assistant(self):
        if not self.env.ref("sales_assistant.view_sales_robot_form_assistant", False):
            self.skipTest("views/sales_robot_views.xml waits for the robot form (robots helper)")
        admin = new_test_user(self.env, login="push_form_admin", groups="base.group_system")
        arch = self.env["sales.robot"].with_user(admin).get_views([(False, "form")])["views"]
        fields = arch["form"]["arch"]
        for flag in (
            "push_approvals",
            "push_digest",
            "push_collections",
            "push_late_deliveries",
            "push_promises",
            "push_complaints",
            "push_contracts",
        ):
            self.assertIn(f'name="{flag}"', fields)
