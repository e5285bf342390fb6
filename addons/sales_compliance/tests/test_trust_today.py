"""What day is it? (issue #16, 5 and 6). A business date is the company's day, whoever acts and
whatever the hour: a Shanghai company's day starts at 16:00 UTC. A company without a timezone
cuts its days in UTC, never in the timezone of the user who acts."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.addons.sales_compliance.models.sales_compliance_mixin import COMPLIANCE_SKIP
from odoo.addons.sales_compliance.tests.common import ComplianceCase
from odoo.tests import tagged
from odoo.tools import SQL

# Shanghai is UTC+8 all year round.
BEFORE = datetime(2027, 1, 5, 15, 59)  # 23:59 on 5 January in Shanghai
AFTER = datetime(2027, 1, 5, 16, 1)  # 00:01 on 6 January in Shanghai, still 5 January in UTC
SHANGHAI_DAY = {BEFORE: date(2027, 1, 5), AFTER: date(2027, 1, 6)}


@tagged("post_install", "-at_install")
class TestTrustToday(ComplianceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        # whoever acts lives elsewhere: their day must not matter
        (cls.rep | cls.rep2).tz = "UTC"
        cls.officer.tz = "America/New_York"
        param = cls.env["ir.config_parameter"].sudo()
        param.set_param("sales_compliance.claim_cap", 10)
        param.set_param("sales_compliance.protection_days", 30)
        param.set_param("sales_compliance.reclaim_cooldown_days", 0)
        cls.rating = cls.env["sales.compliance.credit.rating"].create(
            {"name": "A - trusted", "code": "TT"}
        )

    def _failed(self, order):
        order.invalidate_recordset()
        return [failure["rule"].name for failure in order._compliance_failures("confirm")]

    def test_the_companys_day_starts_at_midnight_in_shanghai(self):
        for moment, day in SHANGHAI_DAY.items():
            with self.subTest(moment=moment), freeze_time(moment):
                self.assertEqual(self.company.with_user(self.rep)._sales_today(), day)

    def test_a_claim_is_protected_from_the_companys_day_not_the_reps(self):
        for moment, day in SHANGHAI_DAY.items():
            with self.subTest(moment=moment), freeze_time(moment):
                partner = self.env["res.partner"].create({"name": f"Pool {moment}"})
                partner.with_user(self.rep).action_compliance_claim()
                self.assertEqual(partner.user_id, self.rep)
                self.assertEqual(partner.compliance_protection_end, day + timedelta(days=30))

    def test_a_credit_review_expires_at_midnight_in_shanghai(self):
        self._rule(name="Review", check="credit_review")
        review = (
            self.env["sales.compliance.credit.review"]
            .with_user(self.officer)
            .create(
                {
                    "partner_id": self.customer.id,
                    "rating_id": self.rating.id,
                    "date": date(2026, 1, 5),
                    "valid_until": date(2027, 1, 5),
                }
            )
        )
        order = self._order(payment_term_id=self.term_30.id)
        with freeze_time(BEFORE):
            review.invalidate_recordset(["is_valid"])
            self.assertTrue(review.with_user(self.rep).is_valid)
            self.assertEqual(self._failed(order), [])
        with freeze_time(AFTER):
            review.invalidate_recordset(["is_valid"])
            self.assertFalse(review.with_user(self.rep).is_valid)
            self.assertEqual(self._failed(order), ["Review"])

    def test_a_colleagues_protection_ends_at_midnight_in_shanghai(self):
        self._rule(name="Ownership", check="ownership")
        self.customer.with_context(compliance_skip=COMPLIANCE_SKIP).write(
            {"user_id": self.rep2.id, "compliance_protection_end": date(2027, 1, 5)}
        )
        order = self._order()
        with freeze_time(BEFORE):
            self.assertEqual(self._failed(order), ["Ownership"])
        with freeze_time(AFTER):
            self.assertEqual(self._failed(order), [])

    def test_a_company_without_timezone_cuts_its_days_in_utc_whoever_acts(self):
        """No timezone on the company's contact: UTC, in Python and in SQL, even for a user
        who lives in Shanghai."""
        self.company.partner_id.tz = False
        self.rep.tz = "Asia/Shanghai"
        self.officer.tz = "Asia/Shanghai"
        self.assertEqual(self.company.with_user(self.rep)._sales_tz(), "UTC")
        with freeze_time(AFTER):
            self.assertEqual(self.company.with_user(self.rep)._sales_today(), date(2027, 1, 5))
            partner = self.env["res.partner"].create({"name": "Pool customer"})
            partner.with_user(self.rep).action_compliance_claim()
            self.assertEqual(partner.compliance_protection_end, date(2027, 2, 4))
        self.env.flush_all()
        [(day,)] = self.env.execute_query(
            SQL(
                "SELECT (TIMESTAMP '2027-01-05 16:01' AT TIME ZONE 'UTC' AT TIME ZONE %s)::date",
                self.company._sales_tz_sql(),
            )
        )
        self.assertEqual(day, date(2027, 1, 5))
        # the compliance rate cuts its days there too
        order = self._order(date_order=AFTER)
        self.env.flush_all()
        line = (
            self.env["sales.compliance.rate.report"]
            .with_user(self.officer)
            .search([("res_model", "=", "sale.order"), ("res_id", "=", order.id)])
        )
        self.assertEqual(line.date, date(2027, 1, 5))
        self.company.partner_id.tz = "Asia/Shanghai"
        self.env.flush_all()
        line.invalidate_recordset()
        self.assertEqual(line.date, date(2027, 1, 6))
