from odoo import Command
from odoo.addons.sales_compliance.tests.common import ComplianceCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestApprovalRobotPushes(ComplianceCase):
    """What the group robots receive of an approval request."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._salesman_ceiling()
        cls.rule = cls._discount_approval_rule(
            level_ids=[
                Command.create({"name": "Team leader", "approver_type": "team_leader"}),
                Command.create(
                    {
                        "name": "Sales manager",
                        "approver_type": "user",
                        "user_id": cls.manager.id,
                        "min_value": 10,
                        "sequence": 20,
                    }
                ),
            ],
        )
        cls.leader.mobile = "13800000001"
        cls.manager.mobile = "13800000002"
        cls.Robot = cls.env["sales.robot"].sudo()
        cls.company_robot = cls._robot("Company robot")
        cls.team_robot = cls._robot("Team robot", team_id=cls.team.id)
        cls.Message = cls.env["sales.robot.message"].sudo()

    @classmethod
    def _robot(cls, name, **vals):
        return cls.Robot.create(
            {"name": name, "kind": "dingtalk", "url": "http://127.0.0.1:9/robot", **vals}
        )

    def _request(self, order):
        order.with_user(self.rep).action_compliance_request_approval()
        return (
            self.env["sales.compliance.approval"]
            .sudo()
            .search([("res_model", "=", "sale.order"), ("res_id", "=", order.id)])
        )

    def _messages(self, robot=None):
        domain = [("event", "=", "approvals")]
        if robot:
            domain.append(("robot_id", "=", robot.id))
        return self.Message.search(domain)

    def test_a_new_request_reaches_the_team_robot_with_each_approver_link(self):
        approval = self._request(self._order(discount=8))
        message = self._messages()
        self.assertEqual(message.robot_id, self.team_robot, "the team's robot, not the company's")
        step = approval.current_step_id
        self.assertEqual(message.key, f"approval-{approval.id}-step-{step.id}")
        self.assertEqual(message.mention_mobiles, "13800000001")
        self.assertIn("@13800000001", message.body)
        link = (
            self.env["sales.compliance.approval.link"]
            .sudo()
            .search([("approval_id", "=", approval.id), ("channel", "=", "robot")])
        )
        self.assertEqual((link.user_id, link.channel, link.step_id), (self.leader, "robot", step))
        self.assertIn(link._url(), message.body)
        self.assertIn(f"/odoo/sale.order/{approval.res_id}", message.body)
        self.assertEqual((message.res_model, message.res_id), (approval._name, approval.id))

    def test_the_next_step_is_pushed_once_and_a_second_push_adds_nothing(self):
        approval = self._request(self._order(discount=15))
        approval.with_user(self.leader).action_approve("fine")
        messages = self._messages()
        self.assertEqual(len(messages), 2, "one message per step")
        self.assertEqual(
            messages.sorted("id")[-1].key,
            f"approval-{approval.id}-step-{approval.current_step_id.id}",
        )
        links = (
            self.env["sales.compliance.approval.link"]
            .sudo()
            .search_count([("channel", "=", "robot")])
        )
        approval._push_to_robots()
        self.assertEqual(self._messages(), messages, "twice pushes once")
        self.assertEqual(
            self.env["sales.compliance.approval.link"]
            .sudo()
            .search_count([("channel", "=", "robot")]),
            links,
            "no link is issued for a push that sends nothing",
        )

    def test_the_company_robot_receives_for_a_team_without_a_robot(self):
        self.team_robot.team_id = self.other_team
        self._request(self._order(discount=8))
        self.assertEqual(self._messages().robot_id, self.company_robot)

    def test_a_robot_without_the_flag_gets_nothing(self):
        self.team_robot.push_approvals = False
        self.company_robot.push_approvals = False
        self._request(self._order(discount=8))
        self.assertFalse(self._messages())
        self.assertFalse(
            self.env["sales.compliance.approval.link"].sudo().search([("channel", "=", "robot")]),
            "no robot link is issued when no robot receives the request",
        )

    def test_a_robot_of_another_company_never_receives(self):
        other = self.env["res.company"].create({"name": "Other Company"})
        other_team = self.env["crm.team"].create({"name": "Far Team", "company_id": other.id})
        far = self._robot("Far robot", company_id=other.id, team_id=other_team.id)
        far_company = self._robot("Far company robot", company_id=other.id)
        self.team_robot.team_id = self.other_team
        self.company_robot.active = False
        self._request(self._order(discount=8))
        self.assertFalse(self._messages(far) | self._messages(far_company))

    def test_a_chinese_robot_receives_the_request_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.team_robot.lang = "zh_CN"
        english = self._robot("English robot", team_id=self.team.id, lang="en_US")
        approval = self._request(self._order(discount=8))
        chinese = self.env(context={"lang": "zh_CN"})._(
            "Approval requested: %s", approval.rule_id.with_context(lang="zh_CN").name
        )
        self.assertEqual(self._messages(self.team_robot).title, chinese)
        self.assertEqual(
            self._messages(english).title, f"Approval requested: {approval.rule_id.name}"
        )


@tagged("post_install", "-at_install")
class TestRobotPushBatches(ComplianceCase):
    """A producer's batch is queued in the same few queries whatever its size."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Robot = cls.env["sales.robot"].sudo()
        url = "http://127.0.0.1:9/robot"
        cls.team_robot = Robot.create({"name": "Team", "url": url, "team_id": cls.team.id})
        cls.company_robot = Robot.create({"name": "Company", "url": url})
        cls.leader.mobile = "13800000001"

    def _push(self, count, prefix):
        pushes = [
            {
                "key": f"{prefix}-{i}",
                "render": lambda env, i=i: (f"Event {i}", f"**{i}**"),
                "team": self.team if i % 2 else None,
                "company": self.env.company,
                "mention_users": self.leader,
            }
            for i in range(count)
        ]
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        queued = self.env["sales.robot"]._push_many("approvals", pushes)
        return queued, self.env.cr.sql_log_count - before

    def test_forty_events_are_queued_in_the_queries_of_two(self):
        two, two_queries = self._push(2, "small")
        forty, forty_queries = self._push(40, "large")
        self.assertEqual(len(two), 2)
        self.assertEqual(len(forty), 40)
        self.assertEqual(forty_queries, two_queries)
        self.assertEqual(forty.filtered(lambda m: m.key == "large-1").robot_id, self.team_robot)
        self.assertEqual(forty.filtered(lambda m: m.key == "large-2").robot_id, self.company_robot)
        self.assertEqual(set(forty.mapped("mention_mobiles")), {"13800000001"})
        again, _queries = self._push(40, "large")
        self.assertFalse(again, "a key is queued once per robot")
