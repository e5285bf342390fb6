from contextlib import contextmanager

from odoo.tests import new_test_user

from .common import ComplianceCase

WECOM_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-0001"
DINGTALK_URL = "https://oapi.dingtalk.com/robot/send?access_token=dingtalk-token-0001"
DINGTALK_SECRET = "SEC0123456789abcdef0123456789abcdef"
WEBHOOK_URL = "https://hooks.example.com/odoo/sales?token=webhook-token-0001"


class RobotCase(ComplianceCase):
    """A company with a team, a second company, and a robot of each kind."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Robot = cls.env["sales.robot"]
        cls.Message = cls.env["sales.robot.message"]
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.team_b = cls.env["crm.team"].create({"name": "Team B", "company_id": cls.company_b.id})
        cls.team.company_id = cls.company
        cls.admin = new_test_user(
            cls.env,
            login="robot_admin",
            groups="base.group_system,sales_team.group_sale_manager",
            company_ids=[(6, 0, (cls.company | cls.company_b).ids)],
            name="Admin Sun",
        )
        cls.rep.mobile = "13800000001"
        cls.rep2.mobile = "13800000002"
        cls.wecom = cls._robot("East WeCom", "wecom", WECOM_URL, team=cls.team)
        cls.dingtalk = cls._robot(
            "East DingTalk", "dingtalk", DINGTALK_URL, team=cls.team, secret=DINGTALK_SECRET
        )
        cls.webhook = cls._robot("Company hook", "webhook", WEBHOOK_URL)

    @classmethod
    def _robot(cls, name, kind, url, team=None, company=None, **vals):
        return cls.Robot.with_user(cls.admin).create(
            {
                "name": name,
                "kind": kind,
                "url": url,
                "team_id": team.id if team else False,
                "company_id": (company or (team and team.company_id) or cls.company).id,
                **vals,
            }
        )

    def _message(self, robot, title="Approve SO042", body="Discount **12%** over 5%.", users=None):
        return self.Message._enqueue(
            robot,
            "approvals",
            f"k-{robot.id}-{title}-{len(body)}",
            title,
            body,
            mention_users=users,
        )

    @contextmanager
    def assertRefused(self, exception, pattern):
        """The block raises ``exception`` with a message matching ``pattern``, and what it
        wrote is rolled back (Odoo's ``assertRaises`` runs it in a savepoint)."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)
