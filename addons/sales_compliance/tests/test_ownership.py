from datetime import timedelta

from odoo import SUPERUSER_ID, api, sql_db
from odoo.addons.sales_compliance.models.sales_compliance_mixin import COMPLIANCE_SKIP
from odoo.addons.sales_compliance.tests.common import ComplianceCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestOwnership(ComplianceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env.company._sales_today()
        param = cls.env["ir.config_parameter"].sudo()
        param.set_param("sales_compliance.claim_cap", 2)
        param.set_param("sales_compliance.protection_days", 30)
        param.set_param("sales_compliance.release_days", 90)
        # the cooldown and the notices have their own tests (test_pool)
        param.set_param("sales_compliance.reclaim_cooldown_days", 0)
        param.set_param("sales_compliance.release_notice_days", 0)
        cls.pool = cls.env["res.partner"].create(
            [{"name": f"Pool customer {i}", "is_company": True} for i in range(4)]
        )
        cls.Log = cls.env["sales.compliance.ownership.log"]

    def _logs(self, partner):
        return self.Log.search([("partner_id", "=", partner.id)])

    def test_claim_from_pool(self):
        partner = self.pool[0]
        self.assertTrue(partner.compliance_in_pool)
        self.assertIn(partner, self.env["res.partner"].search([("compliance_in_pool", "=", True)]))
        partner.with_user(self.rep).action_compliance_claim()
        self.assertEqual(partner.user_id, self.rep)
        self.assertEqual(partner.compliance_protection_end, self.today + timedelta(days=30))
        self.assertFalse(partner.compliance_in_pool)
        log = self._logs(partner)
        self.assertEqual(log.reason, "claim")
        self.assertEqual(log.new_user_id, self.rep)
        self.assertEqual(log.user_id, self.rep)

    def test_claim_owned_customer_refused(self):
        partner = self.pool[0]
        partner.with_user(self.rep).action_compliance_claim()
        with self.assertRaisesMsg(UserError, "already belongs to Rep Wang"):
            partner.with_user(self.rep2).action_compliance_claim()
        self.assertEqual(partner.user_id, self.rep)
        self.assertEqual(len(self._logs(partner)), 1)

    def test_claim_over_cap_refused(self):
        self.pool[0].with_user(self.rep).action_compliance_claim()
        self.pool[1].with_user(self.rep).action_compliance_claim()
        with self.assertRaisesMsg(UserError, "the cap is 2"):
            self.pool[2].with_user(self.rep).action_compliance_claim()
        self.assertFalse(self.pool[2].user_id)
        self.assertFalse(self._logs(self.pool[2]))

    def test_release(self):
        partner = self.pool[0]
        partner.with_user(self.rep).action_compliance_claim()
        with self.assertRaisesMsg(UserError, "Only the owner"):
            partner.with_user(self.rep2).action_compliance_release()
        self.assertEqual(partner.user_id, self.rep)
        partner.with_user(self.rep).action_compliance_release()
        self.assertFalse(partner.user_id)
        self.assertEqual(self._logs(partner)[0].reason, "release")
        # the team leader may release too
        partner.with_user(self.rep).action_compliance_claim()
        partner.with_user(self.leader).action_compliance_release()
        self.assertTrue(partner.compliance_in_pool)

    def test_assignment_is_logged_and_log_is_immutable(self):
        partner = self.pool[0]
        partner.with_context(compliance_ownership_note="Handover").user_id = self.rep2
        log = self._logs(partner)
        self.assertEqual((log.reason, log.new_user_id, log.note), ("assign", self.rep2, "Handover"))
        with self.assertRaises(UserError):
            log.write({"new_user_id": self.rep.id})
        with self.assertRaises(UserError):
            log.unlink()
        self.assertEqual(log.new_user_id, self.rep2)

    def test_salesperson_cannot_write_owner_or_protection(self):
        partner = self.pool[0]
        partner.with_user(self.rep2).action_compliance_claim()
        end = partner.compliance_protection_end
        for vals in (
            {"user_id": self.rep.id},
            {"compliance_protection_end": self.today + timedelta(days=999)},
            {"user_id": False, "compliance_protection_end": False},
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesMsg(AccessError, "use Claim or Release"):
                    partner.with_user(self.rep).write(vals)
                with self.assertRaisesMsg(AccessError, "use Claim or Release"):
                    partner.with_user(self.rep2).write(vals)
                self.assertEqual(partner.user_id, self.rep2)
                self.assertEqual(partner.compliance_protection_end, end)
                self.assertEqual(len(self._logs(partner)), 1)
        # a pool customer cannot be taken by writing the owner either (cap bypass)
        with self.assertRaisesMsg(AccessError, "use Claim or Release"):
            self.pool[1].with_user(self.rep).write({"user_id": self.rep.id})
        self.assertTrue(self.pool[1].compliance_in_pool)
        self.assertFalse(self._logs(self.pool[1]))
        # a forged reason is ignored: the officer's direct change is logged as assignment
        partner.with_user(self.officer).with_context(compliance_ownership_reason="claim").write(
            {"user_id": self.rep.id}
        )
        self.assertEqual(partner.user_id, self.rep)
        self.assertEqual(self._logs(partner)[0].reason, "assign")
        # unchanged values, other fields and the claim flow still work
        partner.with_user(self.rep).write({"user_id": self.rep.id, "phone": "123"})
        self.assertEqual(partner.phone, "123")
        self.pool[1].with_user(self.rep).action_compliance_claim()
        self.assertEqual(self.pool[1].user_id, self.rep)
        self.assertEqual(self._logs(self.pool[1]).reason, "claim")
        # a salesperson still creates their own customers (within the cap)
        self.env["ir.config_parameter"].sudo().set_param("sales_compliance.claim_cap", 10)
        own = (
            self.env["res.partner"]
            .with_user(self.rep)
            .create({"name": "Own customer", "is_company": True, "user_id": self.rep.id})
        )
        self.assertEqual(own.user_id, self.rep)
        self.assertFalse(own.with_user(self.rep).compliance_can_assign)
        self.assertTrue(own.with_user(self.officer).compliance_can_assign)

    def test_customer_with_history_cannot_be_deleted(self):
        partner = self.pool[0]
        partner.with_user(self.rep).action_compliance_claim()
        log = self._logs(partner)
        with self.assertRaises(UserError):
            partner.with_user(self.officer).unlink()
        self.assertTrue(partner.exists())
        self.assertEqual(self._logs(partner), log)
        # archiving is the way to retire a customer: the history stays
        partner.with_user(self.officer).action_archive()
        self.assertFalse(partner.active)
        self.assertEqual(self._logs(partner), log)

    def _age(self, partners, days=200):
        """Created and assigned ``days`` ago."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = now() - make_interval(days => %s) WHERE id IN %s",
            [days, tuple(partners.ids)],
        )
        self.env.cr.execute(
            "UPDATE sales_compliance_ownership_log SET date = now() - make_interval(days => %s) "
            "WHERE partner_id IN %s",
            [days, tuple(partners.ids)],
        )

    def test_release_cron_batches(self):
        stale = self.pool[:3]
        stale.with_context(compliance_skip=COMPLIANCE_SKIP).write({"user_id": self.rep.id})
        followed = self.pool[3]
        followed.with_context(compliance_skip=COMPLIANCE_SKIP).write({"user_id": self.rep2.id})
        self._age(self.pool)
        self._order(user=self.rep2, partner=followed)
        done, remaining = self.env["res.partner"]._compliance_release_batch(2)
        self.assertEqual(done, 2)
        self.assertEqual(remaining, 1)
        done, remaining = self.env["res.partner"]._compliance_release_batch(2)
        self.assertEqual((done, remaining), (1, 0))
        # idempotent
        self.assertEqual(self.env["res.partner"]._compliance_release_batch(2), (0, 0))
        self.assertFalse(stale.user_id)
        self.assertEqual(followed.user_id, self.rep2)
        self.assertEqual(
            set(self.Log.search([("partner_id", "in", stale.ids)]).mapped("reason")),
            {"assign", "auto_release"},
        )

    def test_release_cron_respects_protection_and_activities(self):
        protected, with_activity, stale = self.pool[:3]
        (protected | with_activity | stale).with_context(compliance_skip=COMPLIANCE_SKIP).write(
            {"user_id": self.rep.id}
        )
        protected.with_context(compliance_skip=COMPLIANCE_SKIP).compliance_protection_end = (
            self.today + timedelta(days=3)
        )
        with_activity.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.rep.id, date_deadline=self.today
        )
        self._age(self.pool)
        self.env["res.partner"]._cron_compliance_release()
        self.assertEqual(protected.user_id, self.rep)
        self.assertEqual(with_activity.user_id, self.rep)
        self.assertFalse(stale.user_id)

    def test_release_all(self):
        self.pool.with_context(compliance_skip=COMPLIANCE_SKIP).write({"user_id": self.rep.id})
        self._age(self.pool)
        self.assertEqual(self.env["res.partner"]._compliance_release_stale_owners(batch_size=3), 4)
        self.assertTrue(all(self.pool.mapped("compliance_in_pool")))

    def test_negative_settings_refused(self):
        Settings = self.env["res.config.settings"]
        with self.assertRaisesMsg(ValidationError, "cannot be negative"):
            Settings.create({"compliance_claim_cap": -1})
        with self.assertRaisesMsg(ValidationError, "cannot be negative"):
            Settings.create({"compliance_release_days": -10})
        self.assertEqual(
            self.env["ir.config_parameter"].sudo().get_param("sales_compliance.claim_cap"), "2"
        )


@tagged("post_install", "-at_install")
class TestConcurrentClaim(TransactionCase):
    """Two salespeople claim the same pool customer at the same moment, on two real
    database cursors: exactly one wins."""

    def test_two_cursors_exactly_one_wins(self):
        db = sql_db.db_connect(self.env.cr.dbname)
        with db.cursor() as setup_cr:
            env0 = api.Environment(setup_cr, SUPERUSER_ID, {})
            partner_id = (
                env0["res.partner"].create({"name": "Race customer", "is_company": True}).id
            )
            user_a = env0.ref("base.user_admin").id
            user_b = (
                env0.ref("base.user_demo", raise_if_not_found=False)
                or env0["res.users"].browse(SUPERUSER_ID)
            ).id
            params = env0["ir.config_parameter"]
            old_cap = params.get_param("sales_compliance.claim_cap")
            params.set_param("sales_compliance.claim_cap", 0)
            setup_cr.commit()
        cr1, cr2 = db.cursor(), db.cursor()
        try:
            env1 = api.Environment(cr1, user_a, {})
            env2 = api.Environment(cr2, user_b, {})
            env1["res.partner"].browse(partner_id)._compliance_claim(env1.user)
            # the first claim holds the row: the second one is refused at once, and the
            # refused lock is an answer, not a "bad query" in the server's log
            with self.assertNoLogs("odoo.sql_db", level="ERROR"):
                with self.assertRaisesMsg(UserError, "right now"):
                    env2["res.partner"].browse(partner_id)._compliance_claim(env2.user)
            cr1.commit()
            cr2.rollback()
            with self.assertRaisesMsg(UserError, "already belongs"):
                env2["res.partner"].browse(partner_id)._compliance_claim(env2.user)
            cr2.rollback()
            with db.cursor() as check_cr:
                check_cr.execute("SELECT user_id FROM res_partner WHERE id = %s", [partner_id])
                self.assertEqual(check_cr.fetchone()[0], user_a)
                check_cr.execute(
                    "SELECT count(*) FROM sales_compliance_ownership_log "
                    "WHERE partner_id = %s AND reason = 'claim'",
                    [partner_id],
                )
                self.assertEqual(check_cr.fetchone()[0], 1)
        finally:
            cr1.close()
            cr2.close()
            self._delete_committed(db, [partner_id], claim_cap=old_cap)

    def test_two_cursors_parallel_claims_respect_the_cap(self):
        """The same salesperson claims two different customers in two transactions
        that overlap: the second one cannot exceed the cap, even when the first one
        committed after the second one's snapshot."""
        db = sql_db.db_connect(self.env.cr.dbname)
        with db.cursor() as setup_cr:
            env0 = api.Environment(setup_cr, SUPERUSER_ID, {})
            user_id = env0.ref("base.user_admin").id
            Partner = env0["res.partner"]
            held = Partner.search_count(
                [*Partner._compliance_customer_domain(), ("user_id", "=", user_id)]
            )
            partner_ids = (
                env0["res.partner"]
                .create([{"name": f"Cap race {i}", "is_company": True} for i in range(2)])
                .ids
            )
            params = env0["ir.config_parameter"]
            old_cap = params.get_param("sales_compliance.claim_cap")
            params.set_param("sales_compliance.claim_cap", held + 1)
            setup_cr.commit()
        cr1, cr2 = db.cursor(), db.cursor()
        try:
            env1 = api.Environment(cr1, user_id, {})
            env2 = api.Environment(cr2, user_id, {})
            # the second transaction takes its snapshot before the first one commits
            cr2.execute("SELECT 1")
            env1["res.partner"].browse(partner_ids[0])._compliance_claim(env1.user)
            cr1.commit()
            with self.assertRaisesMsg(UserError, "try again"):
                env2["res.partner"].browse(partner_ids[1])._compliance_claim(env2.user)
            cr2.rollback()
            # retried: the cap is reached
            with self.assertRaisesMsg(UserError, "the cap is"):
                env2["res.partner"].browse(partner_ids[1])._compliance_claim(env2.user)
            cr2.rollback()
            with db.cursor() as check_cr:
                check_cr.execute(
                    "SELECT id FROM res_partner WHERE id = ANY(%s) AND user_id IS NOT NULL",
                    [partner_ids],
                )
                self.assertEqual([row[0] for row in check_cr.fetchall()], partner_ids[:1])
        finally:
            cr1.close()
            cr2.close()
            self._delete_committed(db, partner_ids, claim_cap=old_cap)

    def test_release_cron_two_workers_skip_each_other(self):
        """Two workers run the release at the same time: each skips the customers the
        other one has locked, and every customer is released exactly once."""
        db = sql_db.db_connect(self.env.cr.dbname)
        with db.cursor() as setup_cr:
            env0 = api.Environment(setup_cr, SUPERUSER_ID, {})
            admin = env0.ref("base.user_admin")
            partner_ids = (
                env0["res.partner"]
                .with_context(compliance_skip=COMPLIANCE_SKIP)
                .create(
                    [
                        {"name": f"Stale worker {i}", "is_company": True, "user_id": admin.id}
                        for i in range(4)
                    ]
                )
                .ids
            )
            env0.flush_all()
            setup_cr.execute(
                "UPDATE res_partner SET create_date = now() - interval '400 days' "
                "WHERE id = ANY(%s)",
                [partner_ids],
            )
            setup_cr.commit()
        cr1, cr2 = db.cursor(), db.cursor()
        try:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            done1, _remaining = env1["res.partner"]._compliance_release_batch(2, partner_ids)
            done2, _remaining = env2["res.partner"]._compliance_release_batch(10, partner_ids)
            self.assertEqual((done1, done2), (2, 2))
            cr1.commit()
            cr2.commit()
            with db.cursor() as check_cr:
                check_cr.execute(
                    "SELECT count(*) FROM res_partner WHERE id = ANY(%s) AND user_id IS NULL",
                    [partner_ids],
                )
                self.assertEqual(check_cr.fetchone()[0], 4)
                check_cr.execute(
                    "SELECT count(*) FROM sales_compliance_ownership_log "
                    "WHERE partner_id = ANY(%s) AND reason = 'auto_release'",
                    [partner_ids],
                )
                self.assertEqual(check_cr.fetchone()[0], 4)
        finally:
            cr1.close()
            cr2.close()
            self._delete_committed(db, partner_ids)

    def _delete_committed(self, db, partner_ids, **params):
        """Deletes the customers a test committed with their ownership history (test data
        only: the history is kept otherwise, ondelete restrict), and sets the
        ``sales_compliance.*`` parameters in ``params`` back."""
        with db.cursor() as clean_cr:
            clean_cr.execute(
                "DELETE FROM sales_compliance_ownership_log WHERE partner_id = ANY(%s)",
                [partner_ids],
            )
            env0 = api.Environment(clean_cr, SUPERUSER_ID, {})
            env0["res.partner"].browse(partner_ids).unlink()
            for key, value in params.items():
                env0["ir.config_parameter"].set_param(f"sales_compliance.{key}", value)
            clean_cr.commit()

    def assertRaisesMsg(self, exception, pattern):
        return ComplianceCase.assertRaisesMsg(self, exception, pattern)
