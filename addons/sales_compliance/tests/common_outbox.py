from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from odoo.tests import TransactionCase, new_test_user
from odoo.tests.common import _super_send

from .robot_server import RobotServer


class OutboxCase(TransactionCase):
    """The robots' outbox against the local contract server (``robot_server.py``), with the
    outbox's clock in the test's hand (``self.now``; the server's rate limit follows it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.server = RobotServer()
        cls.server.__enter__()
        cls.addClassCleanup(cls.server.__exit__, None, None, None)
        cls.server.timeout_sleep = 1.5  # the timeout tests wait 0.5 s (see short_timeout)
        cls.admin = new_test_user(
            cls.env, login="outbox_admin", groups="base.group_system", name="Admin Zhao"
        )
        cls.manager = new_test_user(
            cls.env,
            login="outbox_manager",
            groups="sales_team.group_sale_manager",
            name="Manager Max",
            mobile="13800000001",
        )
        # no robot of the demo data receives what the tests push
        cls.env["sales.robot"].sudo().search([]).write({"active": False})
        cls.Robot = cls.env["sales.robot"].with_user(cls.admin)
        cls.Message = cls.env["sales.robot.message"].sudo()

    @classmethod
    def _request_handler(cls, session, request, /, **kw):
        # the contract server only, with the outbox's own timeout (Odoo's tests raise any
        # timeout under 10 s to 10 s)
        if request.url.startswith("http://127.0.0.1:"):
            return _super_send(session, request, **kw)
        return super()._request_handler(session, request, **kw)

    def setUp(self):
        super().setUp()
        self.server.requests.clear()
        self.server.violations.clear()
        self.server._recent.clear()
        self.now = self.env.cr.now().replace(microsecond=0)
        self.server.clock = lambda: self.now.timestamp()
        patcher = patch.object(type(self.Message), "_outbox_now", lambda model: self.now)
        patcher.start()
        self.addCleanup(patcher.stop)

    def short_timeout(self):
        """The outbox waits 0.5 s for an answer (the others keep the 5 s default: a loaded
        machine answers a local request slowly)."""
        self.env["ir.config_parameter"].sudo().set_param("sales_compliance.robot_timeout", "0.5")

    def later(self, **delta):
        self.now += timedelta(**delta)

    def robot(self, name, kind="wecom", url=None, secret=None, **values):
        if url is None:
            if kind == "wecom":
                url = self.server.add_wecom(f"key-{name}")
            elif kind == "dingtalk":
                secret = secret or f"SEC-{name}"
                url = self.server.add_dingtalk(f"token-{name}", secret)
            else:
                url = self.server.url("/hook")
        return self.Robot.create(
            {"name": name, "kind": kind, "url": url, "secret": secret, **values}
        )

    def queue(self, robot, count=1, prefix="event", users=None):
        messages = self.Message
        for i in range(count):
            messages |= self.Message._enqueue(
                robot,
                "approvals",
                f"{prefix}-{i}",
                f"Approval {i}",
                f"**Order** S{i:05d}",
                mention_users=users,
            )
        return messages

    def send(self, **kwargs):
        done = self.Message._cron_send(**kwargs)
        self.env.invalidate_all()
        return done

    @contextmanager
    def assertRefused(self, exception, pattern):
        """The block raises ``exception`` with a message matching ``pattern``, and what it
        wrote is rolled back."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)
