import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo.tests import tagged

from .common_approval_link import ApprovalLinkCase
from .common_outbox import OutboxCase
from .common_robots import RobotCase


@tagged("post_install", "-at_install")
class TestTrustRobotReview(ApprovalLinkCase):
    """Red-team review of the group robots (#21): what a group chat's members can do with
    what the robot posts, and what a hostile user can post into the group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.robot = (
            cls.env["sales.robot"]
            .sudo()
            .create(
                {
                    "name": "Link Team robot",
                    "kind": "dingtalk",
                    "url": "http://127.0.0.1:9/robot",
                    "team_id": cls.team.id,
                }
            )
        )

    def _robot_message(self, approval):
        return (
            self.env["sales.robot.message"]
            .sudo()
            .search(
                [("robot_id", "=", self.robot.id), ("res_id", "=", approval.id)],
                order="id desc",
                limit=1,
            )
        )

    def _robot_link_path(self):
        link = self.Link.sudo().search(
            [("approval_id", "=", self.approval.id), ("channel", "=", "robot")]
        )
        self.assertEqual(len(link), 1, "the group message carries the leader's link")
        self.assertIn(link._url(), self._robot_message(self.approval).body)
        return link._url().split("/", 3)[3]

    def test_a_group_member_not_logged_in_cannot_decide_with_the_approvers_robot_link(self):
        # the company lets its approvers decide from their e-mail without logging in; the
        # group chat holds the rep whose order it is: the leader's link posted there must
        # not let the rep (or anyone in the group) approve as the leader
        self.company.approval_link_without_login = True
        path = self._robot_link_path()
        with self.assertNothingDecided():
            page = self.open_page(path, allow_redirects=False)
            self.assertEqual(page.status_code, 303)
            self.assertIn("/web/login", page.headers["Location"])
            response = self.open_page(
                path, data={"decision": "approve", "comment": "me"}, allow_redirects=False
            )
            self.assertNotEqual(response.status_code, 200)
            _link, refusal = self.Link._decide_by_token(
                path.rsplit("/", 1)[1],
                "approve",
                "me",
                "10.0.0.1",
                self.env.ref("base.public_user"),
            )
            self.assertEqual(refusal["code"], "login")

    def test_the_e_mail_link_still_decides_without_login_when_the_company_allows_it(self):
        self.company.approval_link_without_login = True
        response = self.decide("approve", "ok")
        self.assertIsNone(self.refusal_of(response))
        self.assertEqual(self.approval.step_ids[0].state, "approved")

    def test_the_robots_own_approver_still_decides_with_the_robot_link_once_logged_in(self):
        self.company.approval_link_without_login = True
        path = self._robot_link_path()
        self.login(self.leader)
        response = self.decide("approve", "ok", path=path)
        self.assertIsNone(self.refusal_of(response))
        self.assertEqual(self.approval.step_ids[0].channel, "robot")

    def test_a_rep_who_renames_himself_with_markdown_posts_no_link_into_the_group(self):
        # a user may write his own name (res.users' self-writeable fields): as the rep
        # would, over RPC, then asks for an approval the team's robot announces
        self.rep.with_user(self.rep).write(
            {"name": "Rep [Click to approve](http://evil.example/x) <@all>"}
        )
        self.customer.with_user(self.rep).write(
            {"name": "Chen [win a prize](http://evil.example/y)"}
        )
        _order, approval = self.request_approval(discount=7)
        message = self._robot_message(approval)
        self.assertTrue(message)
        self.assertNotIn("](http://evil.example", message.body)
        self.assertNotIn("](http://evil.example", message.title)
        self.assertNotIn("<@all>", message.body)
        self.assertIn("Click to approve", message.body, "the name is still shown, as text")

    def test_a_robot_of_another_company_on_a_shared_team_receives_none_of_its_requests(self):
        # a sales team without a company serves several companies; company B's admin puts
        # B's robot on it: company A's requests must not reach B's group
        company_b = self.env["res.company"].create({"name": "Company B"})
        self.team.company_id = False
        robot_b = (
            self.env["sales.robot"]
            .sudo()
            .create(
                {
                    "name": "B robot",
                    "kind": "wecom",
                    "url": "http://127.0.0.1:9/b",
                    "team_id": self.team.id,
                    "company_id": company_b.id,
                }
            )
        )
        _order, approval = self.request_approval(discount=7)
        self.assertTrue(self._robot_message(approval), "company A's robot of the team has it")
        self.assertFalse(
            self.env["sales.robot.message"].sudo().search([("robot_id", "=", robot_b.id)])
        )

    def test_a_mobile_written_as_at_all_mentions_nobody_else(self):
        # WeCom mentions the whole group for "@all" in mentioned_mobile_list; a mobile is a
        # contact field typed by hand (by whoever manages the users' contacts): only its
        # digits are a mention
        self.leader.sudo().write({"mobile": "@all"})
        _order, approval = self.request_approval(discount=7)
        message = self._robot_message(approval)
        self.assertTrue(message)
        self.assertFalse(message.mention_mobiles)
        self.assertNotIn("@all", message.body)
        self.leader.sudo().write({"mobile": "+86 138-0000-0009 [x](http://e)"})
        _order, approval = self.request_approval(discount=8)
        message = self._robot_message(approval)
        self.assertEqual(message.mention_mobiles, "+8613800000009")
        self.assertNotIn("](http://e", message.body)


@tagged("post_install", "-at_install")
class TestTrustRobotSecretsReview(RobotCase):
    """A robot's secret held in its URL's path (a plain webhook's token) stays out of the
    errors, the robot's form and the logs."""

    def test_a_webhook_token_in_the_url_path_never_appears_in_a_failed_sends_error_or_log(self):
        token = "s3cr3t-path-token-0001"
        robot = self._robot(
            "Path hook", "webhook", f"http://127.0.0.1:9/hooks/{token}/x", company=self.company
        )
        message = self._message(robot)
        logger = "odoo.addons.sales_compliance.models.sales_robot_message"
        with self.assertLogs(logger, "WARNING") as logs:
            self.Message.sudo()._cron_send()
        self.assertEqual(message.attempts, 1, "the send was tried and failed")
        for text in (message.last_error, robot.sudo().last_error, "\n".join(logs.output)):
            self.assertTrue(text)
            self.assertNotIn(token, text)


class _RedirectingHook(BaseHTTPRequestHandler):
    """A webhook receiver that sends the robot's POST on to another address (an internal
    one, such as a cloud's metadata service) and records what reaches it."""

    hits = []

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if self.path.startswith("/internal"):
            self.hits.append(body)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"errcode": 0}')
            return
        self.send_response(307)
        self.send_header("Location", "/internal/latest/meta-data")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestTrustRobotRedirectReview(OutboxCase):
    def test_a_webhook_that_redirects_gets_the_message_nowhere_else_and_it_is_not_sent(self):
        # the receiver of a plain webhook is a third party: its redirect must not make
        # Odoo post the message (approval links included) to an address the admin never
        # set, nor count the message as delivered
        server = ThreadingHTTPServer(("127.0.0.1", 0), _RedirectingHook)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        _RedirectingHook.hits.clear()
        robot = self.robot(
            "Redirecting", "webhook", url=f"http://127.0.0.1:{server.server_port}/hook"
        )
        message = self.queue(robot)
        self.send()
        self.assertEqual(_RedirectingHook.hits, [], "nothing reached the redirect's target")
        self.assertEqual(message.state, "failed")
        self.assertIn("307", message.last_error)

    def test_a_wecom_robot_mentioning_its_approvers_stays_within_its_rate_limit(self):
        # each WeCom message with a mention is two requests (the markdown, then the text
        # that mentions): the service counts requests, 20 a minute
        robot = self.robot("Mentions", "wecom", rate_limit=20)
        messages = self.queue(robot, 20, users=self.manager)
        self.send()
        self.assertEqual(len(self.server.requests), 20, "20 requests in the minute, no more")
        self.assertEqual(robot.failure_count, 0, "the service never said 'too fast'")
        self.assertEqual(messages.mapped("last_error"), [False] * 20)
        self.assertEqual(len(messages.filtered(lambda m: m.state == "sent")), 10)
        self.later(minutes=1, seconds=1)
        self.send()
        self.assertEqual(set(messages.mapped("state")), {"sent"})

    def test_an_admin_duplicates_a_paused_robot_as_a_new_sending_one_without_its_failures(self):
        robot = self.robot("Paused", "wecom")
        robot._flow_write({"state": "paused", "failure_count": 5, "last_error": "93000 bad"})
        copy = robot.with_user(self.admin).copy()
        self.assertEqual((copy.state, copy.failure_count, copy.last_error), ("active", 0, False))
