from datetime import datetime, timedelta

from odoo.addons.sales_compliance.models.sales_compliance_mixin import COMPLIANCE_SKIP
from odoo.addons.sales_compliance.tests.common import ComplianceCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestPublicPool(ComplianceCase):
    """The public pool (公海) as salespeople live it: the cap holds however a customer
    is taken, the clock starts at the claim, only customers are in the pool, a released
    customer cools down, the owner is told before the release, and nobody creates a
    second copy of someone else's customer (撞单)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.param = cls.env["ir.config_parameter"].sudo()
        for key, value in (
            ("claim_cap", 0),
            ("protection_days", 30),
            ("release_days", 90),
            ("release_notice_days", 0),
            ("reclaim_cooldown_days", 0),
        ):
            cls.param.set_param(f"sales_compliance.{key}", value)
        cls.Partner = cls.env["res.partner"]
        cls.Log = cls.env["sales.compliance.ownership.log"]
        cls.pool = cls.Partner.create(
            [{"name": f"Pool Customer {i}", "is_company": True} for i in range(3)]
        )

    def _set(self, key, value):
        self.param.set_param(f"sales_compliance.{key}", value)

    def _age(self, partner, created=None, owned=None, notice=None):
        """Move the creation, the ownership changes and the notice back in time (days)."""
        self.env.flush_all()
        cr = self.env.cr
        if created is not None:
            cr.execute(
                "UPDATE res_partner SET create_date = now() - make_interval(days => %s) "
                "WHERE id = %s",
                [created, partner.id],
            )
        if owned is not None:
            cr.execute(
                "UPDATE sales_compliance_ownership_log "
                "SET date = now() - make_interval(days => %s) WHERE partner_id = %s",
                [owned, partner.id],
            )
        if notice is not None:
            cr.execute(
                "UPDATE res_partner "
                "SET compliance_release_notice_sent = now() - make_interval(days => %s) "
                "WHERE id = %s",
                [notice, partner.id],
            )
        self.env.invalidate_all()

    def _claim(self, partner, user):
        partner.with_user(user).action_compliance_claim()

    # (a) the cap holds on creation and on lead conversion --------------------------
    def test_cap_on_creation_and_lead_conversion(self):
        self._set("claim_cap", 1)
        self._claim(self.pool[0], self.rep)
        count = self.Partner.search_count([])
        with self.assertRaisesMsg(UserError, "the cap is 1"):
            self.Partner.with_user(self.rep).create(
                {"name": "Brand New Co", "is_company": True, "user_id": self.rep.id}
            )
        lead = (
            self.env["crm.lead"]
            .with_user(self.rep)
            .create(
                {
                    "name": "Big deal",
                    "type": "lead",
                    "partner_name": "Lead Born Co",
                    "user_id": self.rep.id,
                    "team_id": self.team.id,
                }
            )
        )
        wizard = (
            self.env["crm.lead2opportunity.partner"]
            .with_user(self.rep)
            .with_context(active_model="crm.lead", active_id=lead.id, active_ids=lead.ids)
            .create({"name": "convert", "action": "create"})
        )
        self.assertEqual(wizard.user_id, self.rep)
        with self.assertRaisesMsg(UserError, "the cap is 1"):
            wizard.action_apply()
        self.assertEqual(self.Partner.search_count([]), count)
        self.assertEqual(lead.type, "lead")
        self.assertFalse(lead.partner_id)
        # below the cap both work
        self._set("claim_cap", 3)
        own = self.Partner.with_user(self.rep).create(
            {"name": "Brand New Co", "is_company": True, "user_id": self.rep.id}
        )
        wizard.action_apply()
        self.assertEqual(own.user_id, self.rep)
        self.assertEqual(lead.partner_id.commercial_partner_id.user_id, self.rep)
        # the cap counts every way in: a claim over it is refused as well
        with self.assertRaisesMsg(UserError, "already holds 3 customers; the cap is 3"):
            self._claim(self.pool[1], self.rep)

    # (b) the "no follow-up" clock starts no earlier than the claim -------------------
    def test_release_clock_starts_at_the_claim(self):
        old = self.pool[0]
        self._age(old, created=400)
        self._claim(old, self.rep)
        # claimed 40 days ago: the 30 days of protection are over, but the 90 days
        # without follow-up are not
        self._age(old, owned=40)
        old.with_context(compliance_skip=COMPLIANCE_SKIP).compliance_protection_end = (
            self.env.company._sales_today() - timedelta(days=10)
        )
        self.Partner._compliance_release_batch(partner_ids=old.ids)
        self.assertEqual(old.user_id, self.rep)
        self._age(old, owned=91)
        self.Partner._compliance_release_batch(partner_ids=old.ids)
        self.assertFalse(old.user_id)
        self.assertEqual(
            self.Log.search([("partner_id", "=", old.id)], limit=1).reason, "auto_release"
        )

    # (c) only customers are in the pool ----------------------------------------------
    def test_pool_holds_customers_only(self):
        vendor = self.Partner.create({"name": "Steel Vendor", "is_company": True})
        vendor._increase_rank("supplier_rank")
        both = self.Partner.create({"name": "Vendor And Customer", "is_company": True})
        both._increase_rank("supplier_rank")
        both._increase_rank("customer_rank")
        own_company = self.env.company.partner_id
        employee = self.rep.partner_id
        in_pool = self.Partner.with_user(self.rep).search(
            [
                ("compliance_in_pool", "=", True),
                ("id", "in", (vendor | both | own_company | employee | self.pool).ids),
            ]
        )
        self.assertEqual(in_pool, both | self.pool)
        for partner in vendor | own_company | employee:
            with self.subTest(partner=partner.name):
                self.assertFalse(partner.with_user(self.rep).compliance_in_pool)
                self.assertIn(
                    partner,
                    self.Partner.with_user(self.rep).search(
                        [("compliance_in_pool", "=", False), ("id", "=", partner.id)]
                    ),
                )
        with self.assertRaisesMsg(UserError, "not a customer of the public pool"):
            self._claim(vendor, self.rep)
        self.assertFalse(vendor.user_id)
        self._claim(both, self.rep)
        self.assertEqual(both.user_id, self.rep)

    # (d) cooldown before the same salesperson claims a released customer back --------
    def test_cooldown_before_reclaiming(self):
        self._set("reclaim_cooldown_days", 30)
        partner = self.pool[0]
        self._claim(partner, self.rep)
        partner.with_user(self.rep).action_compliance_release()
        with self.assertRaisesMsg(UserError, "was released from Rep Wang on .*: Rep Wang can"):
            self._claim(partner, self.rep)
        self.assertFalse(partner.user_id)
        # the same holds after an automatic release
        other = self.pool[1]
        self._claim(other, self.rep)
        self._age(other, created=200, owned=200)
        other.with_context(compliance_skip=COMPLIANCE_SKIP).compliance_protection_end = False
        self.Partner._compliance_release_batch(partner_ids=other.ids)
        self.assertFalse(other.user_id)
        with self.assertRaisesMsg(UserError, "can claim it again from"):
            self._claim(other, self.rep)
        # another salesperson may claim at once
        self._claim(other, self.rep2)
        self.assertEqual(other.user_id, self.rep2)
        # after the cooldown the first one may claim again
        self._age(partner, owned=31)
        self._claim(partner, self.rep)
        self.assertEqual(partner.user_id, self.rep)

    # (e) the owner is told before the release, once per cycle -----------------------
    def _notices(self, partner):
        return self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("body", "ilike", "goes back to the public pool"),
            ]
        )

    def test_notice_before_release_once_per_cycle(self):
        self._set("release_notice_days", 7)
        partner = self.pool[0]
        self._claim(partner, self.rep)
        partner.with_context(compliance_skip=COMPLIANCE_SKIP).compliance_protection_end = False
        # 80 days without follow-up: too early for the notice
        self._age(partner, created=300, owned=80)
        self.Partner._cron_compliance_release()
        self.assertFalse(self._notices(partner))
        # 85 days: within the 7 days before the release
        self._age(partner, owned=85)
        self.Partner._cron_compliance_release()
        self.Partner._cron_compliance_release()  # idempotent
        notice = self._notices(partner)
        self.assertEqual(len(notice), 1)
        self.assertIn(self.rep.partner_id, notice.partner_ids)
        self.assertTrue(partner.compliance_release_notice_sent)
        self.assertEqual(partner.user_id, self.rep)
        # the notice is no follow-up: the release still comes
        self._age(partner, owned=91, notice=6)
        self.Partner._cron_compliance_release()
        self.assertFalse(partner.user_id)
        self.assertEqual(len(self._notices(partner)), 1)

    def test_new_notice_after_a_follow_up(self):
        self._set("release_notice_days", 7)
        partner = self.pool[0]
        self._claim(partner, self.rep)
        partner.with_context(compliance_skip=COMPLIANCE_SKIP).compliance_protection_end = False
        self._age(partner, created=300, owned=300)
        self.assertEqual(self.Partner._compliance_notice_batch(partner_ids=partner.ids), (1, 0))
        self.assertEqual(self.Partner._compliance_notice_batch(partner_ids=partner.ids), (0, 0))
        # told 200 days ago, followed up (an order) 150 days ago, nothing since: a new
        # cycle, a new notice
        order = self._order(partner=partner)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sale_order SET write_date = now() - interval '150 days' WHERE id = %s",
            [order.id],
        )
        self._age(partner, notice=200)
        self.assertEqual(self.Partner._compliance_notice_batch(partner_ids=partner.ids), (1, 0))
        self.assertEqual(len(self._notices(partner)), 2)

    def test_notice_date_not_writable_by_reps(self):
        partner = self.pool[0]
        self._claim(partner, self.rep)
        with self.assertRaisesMsg(AccessError, "Only the release job"):
            partner.with_user(self.rep).write(
                {"compliance_release_notice_sent": datetime(2026, 6, 1, 9)}
            )
        self.assertFalse(partner.compliance_release_notice_sent)

    def test_notice_settings(self):
        Settings = self.env["res.config.settings"]
        with self.assertRaisesMsg(ValidationError, "fewer notice days than release days"):
            Settings.create({"compliance_release_days": 30, "compliance_release_notice_days": 30})
        with self.assertRaisesMsg(ValidationError, "cannot be negative"):
            Settings.create({"compliance_reclaim_cooldown_days": -1})
        Settings.create(
            {"compliance_release_notice_days": 5, "compliance_reclaim_cooldown_days": 15}
        ).execute()
        self.assertEqual(self.param.get_param("sales_compliance.release_notice_days"), "5")
        self.assertEqual(self.param.get_param("sales_compliance.reclaim_cooldown_days"), "15")

    # (f) duplicate check (查重 / 撞单) ---------------------------------------------------
    def test_duplicate_of_an_owned_customer_refused(self):
        owned = self.Partner.with_user(self.rep2).create(
            {
                "name": "Hangzhou Xihu Technology Co., Ltd.",
                "is_company": True,
                "user_id": self.rep2.id,
                "vat": "91330100MA2B3C4D5E",
                "phone": "+86 571 8888 1234",
            }
        )
        count = self.Partner.search_count([])
        Partner = self.Partner.with_user(self.rep)
        for vals in (
            {"name": "  hangzhou xihu technology co., ltd. "},
            {"name": "西湖科技", "vat": "91330100MA2B3C4D5E"},
            {"name": "西湖科技", "phone": "+86-571-88881234"},
            {"name": "西湖科技", "mobile": "86 571 8888 1234"},
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesMsg(UserError, "a customer of Rep Zhang"):
                    Partner.create(dict(vals, is_company=True, user_id=self.rep.id))
        # a lead converted into the same company is refused too
        lead = (
            self.env["crm.lead"]
            .with_user(self.rep)
            .create(
                {
                    "name": "Same company",
                    "type": "lead",
                    "partner_name": "Hangzhou Xihu Technology Co.",
                    "user_id": self.rep.id,
                }
            )
        )
        wizard = (
            self.env["crm.lead2opportunity.partner"]
            .with_user(self.rep)
            .with_context(active_model="crm.lead", active_id=lead.id, active_ids=lead.ids)
            .create({"name": "convert", "action": "create"})
        )
        # (the lead itself, with the same company name, is refused already:
        # test_trust_ownership) the partner the conversion creates is checked too
        lead.sudo().partner_name = "Hangzhou Xihu Technology Co., Ltd."
        with self.assertRaisesMsg(UserError, "a customer of Rep Zhang"):
            wizard.action_apply()
        self.assertEqual(self.Partner.search_count([]), count)
        # the owner themselves, and other companies, are not stopped
        self.assertTrue(
            Partner.create({"name": "Ningbo Port Trading", "is_company": True, "phone": "0574 1"})
        )
        self.assertTrue(owned.exists())

    def test_duplicate_of_a_pool_customer_points_to_the_pool(self):
        with self.assertRaisesMsg(UserError, "in the public pool: claim it there"):
            self.Partner.with_user(self.rep).create(
                {"name": "pool customer 1", "is_company": True, "user_id": self.rep.id}
            )
        self._claim(self.pool[1], self.rep)
        self.assertEqual(self.pool[1].user_id, self.rep)
        # sales managers and officers create and assign customers freely
        for user in (self.manager, self.officer):
            with self.subTest(user=user.name):
                copy = self.Partner.with_user(user).create(
                    {"name": "Pool Customer 1", "is_company": True, "user_id": self.rep2.id}
                )
                self.assertEqual(copy.user_id, self.rep2)

    def test_creation_checks_cost_the_same_for_one_or_many_customers(self):
        """The duplicate check and the cap run in a constant number of queries."""
        self._set("claim_cap", 50)
        self.Partner.create({"name": "Existing", "phone": "021 5555 0000", "vat": "CN1"})
        Partner = self.Partner.with_user(self.rep)
        one = Partner.create({"name": "New 0", "phone": "021 6666 0000", "user_id": self.rep.id})
        many = Partner.create(
            [
                {
                    "name": f"New {i}",
                    "phone": f"021 6666 000{i}",
                    "vat": f"CN9{i}",
                    "user_id": self.rep.id,
                }
                for i in range(1, 6)
            ]
        )
        counts = []
        for partners in (one, one, many):  # the first run fills the caches (access rules)
            self.env.invalidate_all()
            partners = partners.with_user(self.rep)
            before = self.env.cr.sql_log_count
            partners._compliance_guard_duplicates()
            partners._compliance_guard_cap(self.rep, partners)
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[1], counts[2])
