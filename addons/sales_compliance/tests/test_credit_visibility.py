from datetime import timedelta

from odoo import Command
from odoo.addons.sales_compliance.models.sales_compliance_mixin import COMPLIANCE_SKIP
from odoo.addons.sales_compliance.tests.common import ComplianceCase
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

CREDIT_PARTNER_FIELDS = [
    "compliance_credit_exposure",
    "compliance_credit_rating_id",
    "compliance_credit_review_valid",
    "compliance_credit_review_until",
    "compliance_review_ids",
]
CREDIT_ORDER_FIELDS = [
    "compliance_credit_exposure",
    "compliance_credit_limit",
    "compliance_credit_rating_id",
    "compliance_credit_review_valid",
]


@tagged("post_install", "-at_install")
class TestCreditVisibility(ComplianceCase):
    """A customer's receivables and credit review are seen by its salesperson and
    their team leader, compliance officers and accounting users only; the others read
    nothing, whatever they ask over RPC (``read``, ``search_read``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env.company._sales_today()
        # a rep of another team who may read every order (all documents)
        cls.outsider = new_test_user(
            cls.env,
            login="cmp_outsider",
            groups="sales_team.group_sale_salesman_all_leads",
            name="Outsider Zhao",
        )
        cls.other_team.member_ids = [Command.link(cls.outsider.id)]
        cls.accountant = new_test_user(
            cls.env,
            login="cmp_accountant",
            groups="sales_team.group_sale_salesman_all_leads,account.group_account_invoice",
            name="Accountant Sun",
        )
        cls.customer.with_context(compliance_skip=COMPLIANCE_SKIP).user_id = cls.rep
        cls.customer.credit_limit = 5000
        cls.rating = cls.env["sales.compliance.credit.rating"].create(
            {"name": "A - excellent", "code": "VA"}
        )
        cls.review = (
            cls.env["sales.compliance.credit.review"]
            .with_user(cls.officer)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "rating_id": cls.rating.id,
                    "assets": "Two factories in Suzhou",
                    "liabilities": "Bank loan 3M",
                    "date": cls.today,
                    "valid_until": cls.today + timedelta(days=365),
                }
            )
        )
        cls.confirmed = cls._order(price=700)
        cls.confirmed.action_confirm()
        cls.quotation = cls._order(price=300)

    def _partner_values(self, user):
        return self.customer.with_user(user).read(CREDIT_PARTNER_FIELDS)[0]

    def test_outsiders_read_nothing(self):
        self.env.invalidate_all()
        for user in (self.outsider, self.rep2):
            with self.subTest(user=user.name):
                values = self._partner_values(user)
                self.assertEqual(values["compliance_credit_exposure"], 0.0)
                self.assertFalse(values["compliance_credit_rating_id"])
                self.assertFalse(values["compliance_credit_review_valid"])
                self.assertFalse(values["compliance_credit_review_until"])
                self.assertEqual(values["compliance_review_ids"], [])
                self.assertFalse(self.customer.with_user(user).compliance_credit_visible)
                Review = self.env["sales.compliance.credit.review"].with_user(user)
                self.assertEqual(Review.search_read([], ["assets", "liabilities", "rating_id"]), [])
                with self.assertRaises(AccessError):
                    Review.browse(self.review.id).read(["assets", "liabilities"])
                self.assertFalse(
                    self.env["res.partner"]
                    .with_user(user)
                    .search(
                        [("compliance_credit_visible", "=", True), ("id", "=", self.customer.id)]
                    )
                )
        orders = (
            self.env["sale.order"]
            .with_user(self.outsider)
            .search_read([("id", "in", (self.confirmed | self.quotation).ids)], CREDIT_ORDER_FIELDS)
        )
        self.assertEqual(len(orders), 2)  # the outsider may read the orders themselves
        for values in orders:
            self.assertEqual(values["compliance_credit_exposure"], 0.0)
            self.assertEqual(values["compliance_credit_limit"], 0.0)
            self.assertFalse(values["compliance_credit_rating_id"])
            self.assertFalse(values["compliance_credit_review_valid"])

    def test_salesperson_leader_officer_and_accountant_see_credit(self):
        for user in (self.rep, self.leader, self.officer, self.accountant):
            with self.subTest(user=user.name):
                self.env.invalidate_all()
                values = self._partner_values(user)
                self.assertAlmostEqual(values["compliance_credit_exposure"], 700, delta=0.01)
                self.assertEqual(values["compliance_credit_rating_id"][0], self.rating.id)
                self.assertTrue(values["compliance_credit_review_valid"])
                self.assertEqual(values["compliance_review_ids"], self.review.ids)
                review = (
                    self.env["sales.compliance.credit.review"]
                    .with_user(user)
                    .search_read([], ["assets"])
                )
                self.assertIn({"id": self.review.id, "assets": "Two factories in Suzhou"}, review)
                order = self.quotation.with_user(user).read(CREDIT_ORDER_FIELDS)[0]
                self.assertAlmostEqual(order["compliance_credit_exposure"], 1000, delta=0.01)
                self.assertEqual(order["compliance_credit_limit"], 5000)
                self.assertTrue(order["compliance_credit_review_valid"])

    def test_views_hide_credit_from_outsiders(self):
        """The credit groups of the forms are hidden by the per-customer flag."""
        for model, view in (
            ("res.partner", "sales_compliance.view_partner_form_compliance"),
            ("sale.order", "sales_compliance.view_order_form_compliance"),
        ):
            arch = self.env.ref(view).arch
            self.assertIn('invisible="not compliance_credit_visible"', arch, model)
        self.assertFalse(self.quotation.with_user(self.outsider).compliance_credit_visible)
        self.assertTrue(self.quotation.with_user(self.leader).compliance_credit_visible)

    def test_approval_snapshot_hidden_from_outsiders(self):
        self._vip_customer_rule()
        # rep2 (same team, not the customer's salesperson) edits the customer
        self.customer.with_user(self.rep2).write({"ref": "VIP"})
        approval = self.env["sales.compliance.approval"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
        )
        self.assertIn("5000", approval.values_snapshot)
        self.env.invalidate_all()
        as_rep2 = approval.with_user(self.rep2)
        self.assertEqual(
            as_rep2.search_read([("id", "=", approval.id)], ["approved_values"]),
            [{"id": approval.id, "approved_values": False}],
        )
        with self.assertRaises(AccessError):
            as_rep2.read(["values_snapshot"])
        # the customer's salesperson and the approver see them
        for user in (self.rep, self.officer):
            with self.subTest(user=user.name):
                self.env.invalidate_all()
                values = approval.with_user(user).read(["approved_values"])[0]
                self.assertIn("5000", values["approved_values"])


@tagged("post_install", "-at_install")
class TestCreditVisibilityRpc(HttpCase):
    """What an RPC client of a rep of another team gets: nothing."""

    def test_rpc_read_of_another_teams_customer(self):
        leader = new_test_user(
            self.env, login="rpc_leader", groups="sales_team.group_sale_salesman"
        )
        owner = new_test_user(self.env, login="rpc_owner", groups="sales_team.group_sale_salesman")
        new_test_user(
            self.env, login="rpc_outsider", groups="sales_team.group_sale_salesman_all_leads"
        )
        self.env["crm.team"].create(
            {"name": "RPC Team", "user_id": leader.id, "member_ids": [Command.set(owner.ids)]}
        )
        customer = (
            self.env["res.partner"]
            .with_context(compliance_skip=COMPLIANCE_SKIP)
            .create({"name": "RPC Customer", "is_company": True, "user_id": owner.id})
        )
        rating = self.env["sales.compliance.credit.rating"].create({"name": "RPC A", "code": "RA"})
        today = self.env.company._sales_today()
        self.env["sales.compliance.credit.review"].create(
            {
                "partner_id": customer.id,
                "rating_id": rating.id,
                "liabilities": "Overdue bank loan",
                "date": today,
                "valid_until": today + timedelta(days=30),
            }
        )

        def call(model, method, args, kwargs=None):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/{method}",
                {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
            )

        fields_ = ["compliance_credit_rating_id", "compliance_credit_review_valid"]
        self.authenticate("rpc_outsider", "rpc_outsider")
        self.assertEqual(
            call("res.partner", "read", [customer.ids, fields_]),
            [
                {
                    "id": customer.id,
                    "compliance_credit_rating_id": False,
                    "compliance_credit_review_valid": False,
                }
            ],
        )
        self.assertEqual(
            call(
                "sales.compliance.credit.review",
                "search_read",
                [[("partner_id", "=", customer.id)], ["liabilities"]],
            ),
            [],
        )
        self.authenticate("rpc_owner", "rpc_owner")
        values = call("res.partner", "read", [customer.ids, fields_])[0]
        self.assertEqual(values["compliance_credit_rating_id"][0], rating.id)
        self.assertEqual(
            call(
                "sales.compliance.credit.review",
                "search_read",
                [[("partner_id", "=", customer.id)], ["liabilities"]],
            )[0]["liabilities"],
            "Overdue bank loan",
        )
