from odoo.addons.sales_compliance.tests.common_approval_link import ApprovalLinkCase
from odoo.exceptions import ValidationError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestApprovalLink(ApprovalLinkCase):
    def test_the_approver_logged_in_approves_from_the_link_and_the_step_records_link_and_ip(self):
        self.login(self.leader)
        response = self.decide("approve", "Fine for this customer")
        self.assertEqual(response.status_code, 200)
        self.assertIn("You approved this request.", response.text)
        step = self.approval.step_ids.filtered(lambda s: s.name == "Team leader")
        self.assertEqual(step.state, "approved")
        self.assertEqual(step.decided_by_id, self.leader)
        self.assertEqual(step.comment, "Fine for this customer")
        self.assertEqual(step.channel, "link")
        self.assertEqual(step.channel_ref, "127.0.0.1")
        self.assertEqual(self.link.used_ip, "127.0.0.1")
        self.assertTrue(self.link.used_at)
        # one level of two: the sales manager decides next, as the result page says
        self.assertEqual(self.approval.pending_approver_ids, self.manager)
        self.assertIn("The next level now decides.", response.text)

    def test_the_approver_rejects_with_a_reason_and_the_request_is_rejected(self):
        self.login(self.leader)
        response = self.decide("reject", "Too much for a new customer")
        self.assertIn("You rejected this request.", response.text)
        self.assertEqual(self.approval.state, "rejected")
        self.assertEqual(self.approval.step_ids[0].comment, "Too much for a new customer")

    def test_a_visitor_not_logged_in_is_led_through_the_login_and_back_to_the_page(self):
        response = self.open_page(allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login?redirect=", response.headers["Location"])
        self.assertIn(self.path.split("/")[-1], response.headers["Location"])
        self.assertNotIn("Customer Chen", response.text)
        self.login(self.leader)
        login = self.url_open(response.headers["Location"], allow_redirects=False)
        # logged in already: the login page sends the approver straight back to the link
        self.assertIn(self.path.split("/")[-1], login.headers.get("Location", ""))
        page = self.open_page()
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_sales_approval_approve", page.text)

    def test_the_page_shows_what_is_asked_why_and_the_steps_so_far(self):
        self.login(self.leader)
        page = self.open_page()
        for shown in (
            self.order.name,
            "Discount approval",
            "Rep Wang",
            "Link Team",
            "Discount 12",
            "Team leader",
            "Sales manager",
            "To Decide",
            "A comment is required to reject.",
        ):
            self.assertIn(shown, page.text)

    def test_without_login_the_link_alone_decides_as_its_approver(self):
        self.company.approval_link_without_login = True
        response = self.decide("approve", "From my phone")
        self.assertEqual(response.status_code, 200)
        self.assertIn("You approved this request.", response.text)
        step = self.approval.step_ids[0]
        self.assertEqual(step.decided_by_id, self.leader)
        self.assertEqual((step.channel, step.channel_ref), ("link", "127.0.0.1"))

    def test_a_robot_link_records_the_robot_channel(self):
        url = self.Link._issue(self.approval, self.leader, channel="robot")
        self.login(self.leader)
        self.decide("approve", path=url.split("/", 3)[3])
        self.assertEqual(self.approval.step_ids[0].channel, "robot")

    def test_a_link_expires_after_the_hours_the_company_sets(self):
        self.company.approval_link_hours = 24
        self.Link._issue(self.approval, self.leader)
        link = self.Link.sudo().search([], limit=1)
        hours = (link.expires_at - link.create_date).total_seconds() / 3600
        self.assertAlmostEqual(hours, 24, delta=0.1)

    def test_the_settings_set_the_link_hours_and_refuse_less_than_an_hour(self):
        admin = self.env.ref("base.user_admin")
        Settings = self.env["res.config.settings"].with_user(admin)
        Settings.create({"approval_link_hours": 12, "approval_link_without_login": True}).execute()
        self.assertEqual(self.company.approval_link_hours, 12)
        self.assertTrue(self.company.approval_link_without_login)
        with self.assertRaises(ValidationError) as caught:
            Settings.create({"approval_link_hours": 0}).execute()
        self.assertIn("at least one hour", str(caught.exception))
        self.env.invalidate_all()
        self.assertEqual(self.company.approval_link_hours, 12)

    def test_officers_read_the_links_and_salespeople_do_not(self):
        links = self.Link.with_user(self.officer).search([])
        self.assertIn(self.link.id, links.ids)
        self.assertFalse(links.read(["used_at"])[0]["used_at"])
        self.assertFalse(self.Link.with_user(self.rep).has_access("read"))
        self.assertFalse(self.Link.with_user(self.leader).has_access("read"))

    def test_the_link_expiry_is_stored_in_utc_in_the_future(self):
        self.assertGreater(self.link.expires_at, self.env.cr.now())


@tagged("post_install", "-at_install")
class TestApprovalLinkPhoneTour(ApprovalLinkCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_the_approver_decides_from_the_link_on_a_phone(self):
        self.start_tour(f"/{self.path}", "sales_compliance_approval_link_phone", login="lnk_leader")
        step = self.approval.step_ids[0]
        self.assertEqual(step.state, "approved")
        self.assertEqual(step.comment, "Good customer, approved from my phone")
        self.assertEqual(step.channel, "link")
