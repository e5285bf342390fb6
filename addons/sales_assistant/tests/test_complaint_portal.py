import base64
import re

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..tools.scans import SCAN_MAX_BYTES
from .common import RpcError, call_kw
from .common_complaint_portal import EXE, PDF, PNG, ComplaintPortalCase


@tagged("post_install", "-at_install")
class TestComplaintPortalFiling(ComplaintPortalCase):
    """The customer reports a problem from the portal's order page: only on their own
    orders (or with the order's link), with checked files; a refused or bad form writes
    nothing."""

    def assertNothingWritten(self, order=None):
        self.assertFalse(self.complaints(order))
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "sales.complaint"), ("create_uid", "in", self.portal_users)]
            )
        )

    @property
    def portal_users(self):
        return (self.portal_user | self.other_portal_user | self.env.ref("base.public_user")).ids

    def test_customer_reports_a_problem_from_their_order_page(self):
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        page = self.url_open(f"/my/orders/{self.order.id}")
        link = re.search(r'href="(/my/orders/\d+/complaint[^"]*)"', page.text)
        self.assertTrue(link, "the confirmed order's page offers to report a problem")
        self.assertIn("Report a Problem", page.text)
        form = self.url_open(link[1].replace("&amp;", "&"))
        self.assertIn("Ball valve DN50", form.text)
        self.assertNotIn("Booster pump", form.text, "only the products of this order")

        response = self.post_form(
            self.form_url(),
            category="quality",
            subject="Broken seal on delivery",
            product_id=str(self.valve.id),
            description="The seal was <b>broken</b>\non two valves.",
            files=[
                ("attachments", ("seal.png", PNG, "image/png")),
                ("attachments", ("delivery-note.pdf", PDF, "application/pdf")),
            ],
        )

        self.assertEqual(response.status_code, 200)
        self.assertIn("o_sales_complaint_filed", response.text)
        complaint = self.complaints()
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.source, "portal")
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.order_id, self.order)
        self.assertEqual(complaint.product_id, self.valve)
        self.assertEqual(complaint.category, "quality")
        self.assertEqual(complaint.subject, "Broken seal on delivery")
        self.assertIn("&lt;b&gt;broken&lt;/b&gt;", complaint.description)
        self.assertNotIn("<b>", complaint.description)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "sales.complaint"), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(sorted(attachments.mapped("mimetype")), ["application/pdf", "image/png"])
        message = complaint.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.buyer, "the chatter shows the customer")
        self.assertEqual(message.attachment_ids, attachments)
        self.assertEqual(
            base64.b64decode(attachments.filtered(lambda a: a.mimetype == "image/png").datas), PNG
        )
        self.assertIn(self.buyer, complaint.message_partner_ids, "the customer follows it")

    def test_the_portal_complaint_goes_to_the_orders_salesperson_and_desk(self):
        """What the customer cannot choose comes from the order, as for any complaint: the
        salesperson, the team, the owner and the deadline (the complaint's own defaults)."""
        if not hasattr(type(self.env["sales.complaint"]), "_complaint_defaults"):
            self.skipTest("the complaint's defaults from its order are not installed")
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        self.post_form(self.form_url(), subject="Broken seal on delivery")
        complaint = self.complaints()
        self.assertEqual(complaint.user_id, self.rep)
        self.assertEqual(complaint.team_id, self.order.team_id)
        self.assertTrue(complaint.date_deadline)
        self.assertNotEqual(complaint.name, "/")

    def test_link_holder_reports_a_problem_with_the_order_link(self):
        """Whoever holds the order's link (the e-mail the customer got) files, as the
        customer, without logging in."""
        token = self.order._portal_ensure_token()
        page = self.url_open(f"/my/orders/{self.order.id}?access_token={token}")
        self.assertIn(f"/my/orders/{self.order.id}/complaint?access_token={token}", page.text)

        response = self.post_form(
            self.form_url(token=token), category="delivery", subject="Two boxes missing"
        )

        self.assertIn("o_sales_complaint_filed", response.text)
        complaint = self.complaints()
        self.assertEqual(complaint.source, "portal")
        self.assertEqual(complaint.category, "delivery")
        message = complaint.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(message.author_id, self.customer)

    def test_another_customers_order_is_refused_and_shows_nothing(self):
        self.authenticate("cp_other", "cp_other_pwd")
        for url in (self.form_url(), self.form_url(token="forged-token")):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 403)
            self.assertIn("o_sales_complaint_refused", page.text)
            self.assertNotIn(self.order.name, page.text)
            self.assertNotIn("Ball valve", page.text)
            response = self.url_open(
                url,
                data={"csrf_token": "x", "subject": "Not mine", "category": "quality"},
            )
            self.assertIn(response.status_code, (400, 403))
        # with a valid CSRF token from their own order's form, still nothing
        own_form = self.url_open(self.form_url(self.other_order))
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', own_form.text)[1]
        response = self.url_open(
            self.form_url(),
            data={"csrf_token": csrf, "subject": "Not mine", "category": "quality"},
        )
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(self.order.name, response.text)
        self.assertNothingWritten()

    def test_a_follower_of_someone_elses_order_still_cannot_file(self):
        """The portal opens an order to its followers; filing a complaint on it is the
        customer's alone: the model checks again, whatever the controller let through."""
        self.order.message_subscribe(partner_ids=self.other_customer.ids)
        self.authenticate("cp_other", "cp_other_pwd")
        response = self.post_form(self.form_url(), subject="Sneaky complaint")
        self.assertEqual(response.status_code, 403)
        self.assertNothingWritten()
        with self.assertRaises(AccessError):
            self.env["sales.complaint"].with_user(self.other_portal_user)._create_from_portal(
                self.order.with_user(self.other_portal_user),
                {"subject": "Sneaky complaint"},
                [],
            )
        with self.assertRaises(AccessError):
            self.env["sales.complaint"].with_user(self.other_portal_user)._create_from_portal(
                self.order, {"subject": "Sneaky complaint"}, [], access_token="forged-token"
            )
        self.assertNothingWritten()

    def test_a_program_named_like_a_photo_is_refused(self):
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        response = self.post_form(
            self.form_url(),
            subject="Broken seal",
            files=[
                ("attachments", ("seal.png", PNG, "image/png")),
                ("attachments", ("photo.jpg", EXE, "image/jpeg")),
            ],
        )
        self.assertIn("o_sales_complaint_error", response.text)
        self.assertIn(
            "The file photo.jpg must be a photo (JPEG, PNG) or a PDF scan.", response.text
        )
        self.assertIn('value="Broken seal"', response.text, "the form keeps what was typed")
        self.assertNothingWritten()

    def test_a_file_over_the_size_limit_is_refused(self):
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        # the size is checked first; the bytes hold line breaks, as a photo's do, so that
        # the server streams the upload to disk (a lone early CR would stall werkzeug 2.2)
        huge = (b"\0" * 1023 + b"\n") * (SCAN_MAX_BYTES // 1024 + 1)
        response = self.post_form(
            self.form_url(),
            subject="Broken seal",
            files=[("attachments", ("seal.png", huge, "image/png"))],
        )
        self.assertIn("The file seal.png is too large (10 MB at most).", response.text)
        self.assertNothingWritten()

    def test_a_product_not_on_the_order_is_refused(self):
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        for product_id in (str(self.pump.id), "not-a-number"):
            response = self.post_form(self.form_url(), subject="Pump leaks", product_id=product_id)
            self.assertIn("Please choose a product of this order.", response.text)
        self.assertNothingWritten()

    def test_a_missing_subject_is_refused(self):
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        response = self.post_form(self.form_url(), subject="   ", description="Broken")
        self.assertIn("Please enter a subject for your complaint.", response.text)
        self.assertNothingWritten()

    def test_an_unknown_category_and_forged_fields_are_not_taken(self):
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        response = self.post_form(self.form_url(), subject="Bad", category="refund_now")
        self.assertIn("Please choose a category from the list.", response.text)
        self.assertNothingWritten()
        self.post_form(
            self.form_url(),
            subject="Late truck",
            severity="critical",
            state="closed",
            user_id=str(self.other_portal_user.id),
            partner_id=str(self.other_customer.id),
        )
        complaint = self.complaints()
        self.assertEqual(complaint.severity, "normal")
        self.assertEqual(complaint.state, "new")
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertNotEqual(complaint.user_id, self.other_portal_user)

    def test_a_quotation_cannot_be_complained_about(self):
        quotation = self.make_order(self.customer, [self.valve], confirm=False)
        quotation.message_subscribe(partner_ids=self.buyer.ids)
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        page = self.url_open(f"/my/orders/{quotation.id}")
        self.assertNotIn("Report a Problem", page.text)
        response = self.post_form(self.form_url(quotation), subject="Too slow")
        self.assertEqual(response.status_code, 403)
        self.assertIn("only on a confirmed order", response.text)
        self.assertNothingWritten(quotation)

    def test_staff_previewing_the_order_page_file_in_the_back_office(self):
        self.authenticate("cp_rep", "cp_rep")
        page = self.url_open(f"/my/orders/{self.order.id}")
        self.assertNotIn("o_sales_complaint_report", page.text)
        response = self.url_open(self.form_url())
        self.assertEqual(response.status_code, 403)
        self.assertIn("Staff record complaints in the back office", response.text)

    def test_filing_is_private_over_rpc(self):
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        with self.assertRaisesRegex(RpcError, "Private methods"):
            call_kw(
                self,
                "sales.complaint",
                "_create_from_portal",
                [[], self.order.id, {"subject": "x"}, []],
            )
        with self.assertRaises(RpcError):
            call_kw(
                self,
                "sales.complaint",
                "create",
                [{"subject": "x", "partner_id": self.customer.id, "order_id": self.order.id}],
            )
        self.assertNothingWritten()


@tagged("post_install", "-at_install")
class TestComplaintPortalFollowing(ComplaintPortalCase):
    """The customer follows their complaints on /my/complaints, and only theirs: through the
    pages and over RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own = cls.make_complaint(cls.order, "Valve handle cracked", category="quality")
        cls.other = cls.make_complaint(cls.other_order, "Pump arrived wet", category="delivery")

    def test_customer_sees_their_complaints_with_their_state(self):
        self.own._flow_write({"date_deadline": "2031-05-06 03:00:00"})
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        page = self.url_open("/my/complaints")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Valve handle cracked", page.text)
        self.assertIn(self.order.name, page.text)
        self.assertIn("o_sales_complaint_state", page.text)
        self.assertNotIn("Pump arrived wet", page.text)

        page = self.url_open(f"/my/complaints/{self.own.id}")
        self.assertIn("Valve handle cracked", page.text)
        self.assertIn("We will answer you by this date", page.text)
        self.assertIn("05/06/2031", page.text)
        self.assertIn('id="discussion"', page.text, "the chatter, to add a message")
        self.assertNotIn("o_sales_complaint_resolution", page.text)

    def test_a_closed_complaint_shows_its_resolution_not_its_deadline(self):
        self.own._flow_write(
            {
                "date_deadline": "2031-05-06 03:00:00",
                "resolution": "A new valve was sent on 3 May.",
                "action_taken": "replacement",
                "state": "closed",
                "date_closed": "2031-05-03 03:00:00",
            }
        )
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        page = self.url_open(f"/my/complaints/{self.own.id}")
        self.assertIn("A new valve was sent on 3 May.", page.text)
        self.assertIn("Replacement", page.text)
        self.assertNotIn("We will answer you by this date", page.text)

    def test_the_order_page_lists_the_customers_complaints_on_it(self):
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        page = self.url_open(f"/my/orders/{self.order.id}")
        self.assertIn("Valve handle cracked", page.text)
        self.assertIn(f'href="/my/complaints/{self.own.id}"', page.text)
        # a visitor with the order's link alone sees the order, not its complaints
        self.authenticate(None, None)
        token = self.order._portal_ensure_token()
        page = self.url_open(f"/my/orders/{self.order.id}?access_token={token}")
        self.assertIn(self.order.name, page.text)
        self.assertNotIn("Valve handle cracked", page.text)

    def test_home_counts_the_customers_complaints(self):
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        counters = self.json_rpc("/my/counters", {"counters": ["complaint_count"]})
        self.assertEqual(counters["result"], {"complaint_count": 1})
        home = self.url_open("/my/home")
        self.assertIn("/my/complaints", home.text)

    def test_another_customers_complaint_shows_nothing(self):
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        page = self.url_open(f"/my/complaints/{self.other.id}")
        self.assertEqual(page.status_code, 404)
        self.assertNotIn("Pump arrived wet", page.text)
        self.assertNotIn(f">{self.other.name}<", page.text)
        page = self.url_open(f"/my/complaints/{self.other.id}?access_token=forged")
        self.assertEqual(page.status_code, 404)
        self.assertNotIn("Pump arrived wet", page.text)

    def test_portal_user_reads_only_their_complaints_over_rpc(self):
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        rows = call_kw(
            self, "sales.complaint", "search_read", [[]], kwargs={"fields": ["subject", "state"]}
        )
        self.assertEqual([row["subject"] for row in rows], ["Valve handle cracked"])
        with self.assertRaises(RpcError):
            call_kw(self, "sales.complaint", "read", [[self.other.id], ["subject"]])
        with self.assertRaises(RpcError):
            call_kw(self, "sales.complaint", "write", [[self.own.id], {"state": "closed"}])
        with self.assertRaises(RpcError):
            call_kw(self, "sales.complaint", "write", [[self.own.id], {"subject": "Changed"}])
        with self.assertRaises(RpcError):
            call_kw(self, "sales.complaint", "unlink", [[self.own.id]])
        self.assertEqual(self.own.subject, "Valve handle cracked")
        self.assertEqual(self.own.state, "new")

    def test_customer_adds_a_message_to_their_complaint_only(self):
        self.authenticate("cp_buyer", "cp_buyer_pwd")
        params = {
            "thread_model": "sales.complaint",
            "post_data": {"body": "Any news?", "message_type": "comment"},
        }
        answer = self.json_rpc("/mail/message/post", {**params, "thread_id": self.own.id})
        self.assertNotIn("error", answer)
        message = self.own.message_ids.filtered(lambda m: "Any news?" in (m.body or ""))
        self.assertEqual(message.author_id, self.buyer)
        answer = self.json_rpc("/mail/message/post", {**params, "thread_id": self.other.id})
        self.assertIn("error", answer)
        self.assertFalse(self.other.message_ids.filtered(lambda m: "Any news?" in (m.body or "")))

    def test_the_list_costs_the_same_queries_for_one_complaint_or_many(self):
        self.authenticate("cp_buyer", "cp_buyer_pwd")

        def queries():
            # a first visit runs what the set-up left pending (flush, tracking, mails)
            self.url_open("/my/complaints")
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.assertEqual(self.url_open("/my/complaints").status_code, 200)
            return self.cr.sql_log_count - before

        one = queries()
        orders = [self.make_order(self.customer, [self.valve]) for _ in range(5)]
        for number, order in enumerate(orders):
            self.make_complaint(order, f"Valve {number} leaks", product_id=self.valve.id)
        self.assertEqual(queries(), one)
