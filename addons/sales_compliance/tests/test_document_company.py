from datetime import timedelta

from odoo.addons.sales_compliance.models.sales_compliance_mixin import COMPLIANCE_SKIP
from odoo.addons.sales_compliance.tests.common import ComplianceCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestDocumentCompany(ComplianceCase):
    """Credit reviews, discount ceilings and the ownership history follow the
    document's company, not the companies the user happens to have active."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env.company._sales_today()
        cls.branch = cls.env["res.company"].create(
            {"name": "Compliance Branch", "currency_id": cls.company.currency_id.id}
        )
        cls.rep.sudo().company_ids |= cls.branch
        cls.both = {"allowed_company_ids": [cls.company.id, cls.branch.id]}
        cls.customer.with_context(compliance_skip=COMPLIANCE_SKIP).user_id = cls.rep
        cls.rating = cls.env["sales.compliance.credit.rating"].create(
            {"name": "A - excellent", "code": "DA"}
        )

    def _orders(self, **vals):
        """One order in each company, read by the rep working in both companies."""
        main = self._order(**vals).with_context(**self.both)
        branch = self._order(company_id=self.branch.id, **vals).with_context(**self.both)
        self.assertEqual(branch.company_id, self.branch)
        return main, branch

    def _failed(self, order):
        return [f["rule"].name for f in order._compliance_failures("confirm")]

    def test_credit_review_of_the_order_company(self):
        self._rule(name="Review", check="credit_review", company_id=False)
        self.env["sales.compliance.credit.review"].create(
            {
                "partner_id": self.customer.id,
                "rating_id": self.rating.id,
                "date": self.today,
                "valid_until": self.today + timedelta(days=365),
                "company_id": self.company.id,
            }
        )
        main, branch = self._orders(payment_term_id=self.term_30.id)
        self.assertTrue(main.compliance_credit_review_valid)
        self.assertEqual(main.compliance_credit_rating_id, self.rating)
        # the main company's review does not cover the branch's order
        self.assertFalse(branch.compliance_credit_review_valid)
        self.assertFalse(branch.compliance_credit_rating_id)
        self.assertFalse(self._failed(main))
        self.assertEqual(self._failed(branch), ["Review"])

    def test_discount_ceiling_of_the_order_company(self):
        self._rule(name="Discount", check="discount_ceiling", company_id=False)
        self.env["sales.compliance.discount.ceiling"].create(
            {"user_id": self.rep.id, "max_discount": 30, "company_id": self.company.id}
        )
        main, branch = self._orders(discount=20)
        self.assertFalse(self._failed(main))
        # in the branch no ceiling is granted to the rep: the default (0%) applies
        self.assertEqual(self._failed(branch), ["Discount"])

    def test_cron_logs_in_the_customer_company(self):
        param = self.env["ir.config_parameter"].sudo()
        param.set_param("sales_compliance.release_days", 90)
        partner = (
            self.env["res.partner"]
            .with_context(compliance_skip=COMPLIANCE_SKIP)
            .create(
                {
                    "name": "Branch customer",
                    "is_company": True,
                    "company_id": self.branch.id,
                    "user_id": self.rep.id,
                }
            )
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = now() - interval '200 days' WHERE id = %s",
            [partner.id],
        )
        # the cron runs in the main company
        self.assertEqual(self.env.company, self.company)
        self.env["res.partner"]._compliance_release_batch(partner_ids=partner.ids)
        self.assertFalse(partner.user_id)
        logs = self.env["sales.compliance.ownership.log"].search([("partner_id", "=", partner.id)])
        self.assertEqual(logs.mapped("reason"), ["auto_release"])
        self.assertEqual(logs.company_id, self.branch)
        # the branch's history is seen in the branch, not in the main company only
        Log = self.env["sales.compliance.ownership.log"].with_user(self.officer)
        self.officer.sudo().company_ids |= self.branch
        self.assertEqual(
            Log.with_context(allowed_company_ids=[self.branch.id]).search(
                [("partner_id", "=", partner.id)]
            ),
            logs,
        )
