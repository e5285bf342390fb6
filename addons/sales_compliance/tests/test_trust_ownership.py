"""Taking what belongs to a colleague (issue 16, part 1): every change of a customer's
owner goes through the one ownership path, whatever field causes it; the claim cap and
the duplicate check (撞单) hold however a partner becomes a customer; protection dates
are set by the ownership path alone; a follow-up counts only within the window."""

import contextlib
from datetime import datetime, time, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.addons.sales_compliance.models.sales_compliance_mixin import COMPLIANCE_SKIP
from odoo.addons.sales_compliance.tests.common import ComplianceCase, RpcError, call_kw
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

REFUSED = (AccessError, UserError)


class OwnershipFixture:
    """A colleague's customers, the rep's own, the pool and a vendor."""

    @classmethod
    def _ownership_fixture(cls, env, rep, colleague):
        param = env["ir.config_parameter"].sudo()
        for key, value in (
            ("claim_cap", 0),
            ("protection_days", 30),
            ("release_days", 90),
            ("release_notice_days", 0),
            ("reclaim_cooldown_days", 0),
        ):
            param.set_param(f"sales_compliance.{key}", value)
        # national numbers are read in the company's country
        env.company.country_id = env.ref("base.cn")
        Partner = env["res.partner"].with_context(compliance_skip=COMPLIANCE_SKIP)
        cls.theirs = Partner.create(
            {
                "name": "Hangzhou Xihu Technology Co., Ltd.",
                "is_company": True,
                "user_id": colleague.id,
                "vat": "91330100MA2B3C4D5E",
                "phone": "+86 571 8888 1234",
            }
        )
        cls.their_person = Partner.create({"name": "Zhou Min", "user_id": colleague.id})
        cls.mine = Partner.create(
            {"name": "Ningbo Port Trading", "is_company": True, "user_id": rep.id}
        )
        cls.pool_person = Partner.create({"name": "Sun Li"})
        cls.Log = env["sales.compliance.ownership.log"]


@tagged("post_install", "-at_install")
class TestTrustOwnership(OwnershipFixture, ComplianceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._ownership_fixture(cls.env, cls.rep, cls.rep2)
        cls.today = cls.company._sales_today()

    def _attempt(self, record, vals):
        """``record.write(vals)`` as a client would send it: a refusal rolls it back."""
        with contextlib.suppress(*REFUSED), self.env.cr.savepoint():
            record.write(vals)
        self.env.invalidate_all()

    def _logs(self, partner):
        return self.Log.search([("partner_id", "=", partner.id)])

    # -- the owner changes through the one path, whatever field causes it ----------
    def test_a_rep_cannot_take_a_colleagues_company_through_its_parent(self):
        theirs = self.theirs.with_user(self.rep)
        self._attempt(theirs, {"parent_id": self.mine.id})
        with self.assertRaisesMsg(AccessError, "use Claim or Release"):
            theirs.write({"user_id": self.rep.id})
        self._attempt(theirs, {"parent_id": False})
        self.assertEqual(self.theirs.user_id, self.rep2)
        self.assertEqual(self.theirs.commercial_partner_id.user_id, self.rep2)
        self.assertFalse(self._logs(self.theirs))

    def test_a_rep_cannot_take_a_person_customer_by_giving_it_a_parent(self):
        for customer in (self.their_person, self.pool_person):
            with self.subTest(customer=customer.name):
                with self.assertRaisesMsg(AccessError, "use Claim or Release"):
                    customer.with_user(self.rep).write({"parent_id": self.mine.id})
                self.assertFalse(customer.parent_id)
                self.assertEqual(customer.commercial_partner_id, customer)
        self.assertEqual(self.their_person.user_id, self.rep2)
        self.assertFalse(self.pool_person.user_id)

    def test_a_rep_cannot_move_a_customer_through_computed_or_rank_fields(self):
        """``commercial_partner_id``, ``partner_share``, ``is_company`` and the ranks are
        writable through ``write``: none of them takes a customer out of the rules."""
        with self.env.cr.savepoint():
            # an officer made the colleague's company a subsidiary of the rep's company
            self.theirs.with_user(self.officer).parent_id = self.mine
        for vals in (
            {"commercial_partner_id": self.mine.id},
            {"is_company": False},
            {"company_type": "person"},
            {"partner_share": False},
            {"customer_rank": 0, "supplier_rank": 1},
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesMsg(AccessError, "use Claim or Release"):
                    self.theirs.with_user(self.rep).write(vals)
                self.env.invalidate_all()
                self.assertEqual(self.theirs.commercial_partner_id, self.theirs)
                self.assertTrue(
                    self.theirs.filtered_domain(
                        self.env["res.partner"]._compliance_customer_domain()
                    )
                )
        # then the owner stays out of reach
        with self.assertRaisesMsg(AccessError, "use Claim or Release"):
            self.theirs.with_user(self.rep).write({"user_id": self.rep.id})
        self.assertEqual(self.theirs.user_id, self.rep2)

    def test_a_company_with_a_parent_is_still_a_customer(self):
        """A subsidiary is its own commercial entity: its owner is guarded, it counts
        for the cap and it goes back to the pool like any customer."""
        self.theirs.with_user(self.officer).parent_id = self.mine
        domain = self.env["res.partner"]._compliance_customer_domain()
        self.assertTrue(self.theirs.filtered_domain(domain))
        with self.assertRaisesMsg(AccessError, "use Claim or Release"):
            self.theirs.with_user(self.rep).write({"user_id": self.rep.id})

    def test_a_colleagues_contact_renamed_to_the_rep_cannot_be_detached(self):
        """A contact's own salesperson is free to edit (the rules read the customer's
        owner), but it becomes the owner when the contact is detached."""
        contact = (
            self.env["res.partner"]
            .with_user(self.rep)
            .create({"name": "Zhou Jie", "parent_id": self.theirs.id})
        )
        self.assertEqual(contact.user_id, self.rep2)
        contact.write({"user_id": self.rep.id})
        with self.assertRaisesMsg(AccessError, "use Claim or Release"):
            contact.write({"parent_id": False})
        with self.assertRaisesMsg(AccessError, "use Claim or Release"):
            contact.write({"parent_id": self.mine.id})
        self.assertEqual(contact.commercial_partner_id, self.theirs)

    def test_own_contacts_and_own_customers_still_move_freely(self):
        contact = (
            self.env["res.partner"]
            .with_user(self.rep)
            .create({"name": "Wu Fang", "parent_id": self.mine.id})
        )
        self.assertEqual(contact.user_id, self.rep)
        own_person = (
            self.env["res.partner"]
            .with_user(self.rep)
            .create({"name": "Qian Yu", "user_id": self.rep.id})
        )
        own_person.with_user(self.rep).write({"parent_id": self.mine.id, "phone": "021 1"})
        self.assertEqual(own_person.commercial_partner_id, self.mine)
        # the colleague's contacts and customers are edited as before
        self.theirs.with_user(self.rep).write({"website": "xihu.example.com", "type": "contact"})
        self.assertEqual(self.theirs.user_id, self.rep2)

    def test_an_officer_moving_a_customer_through_its_parent_is_logged(self):
        self.their_person.with_user(self.officer).write({"parent_id": self.mine.id})
        log = self._logs(self.their_person)
        self.assertEqual(
            (log.old_user_id, log.new_user_id, log.reason, log.user_id),
            (self.rep2, self.rep, "assign", self.officer),
        )

    # -- the merge wizard ------------------------------------------------------------
    def _merge(self, user, partners, dst):
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(user)
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .create({"partner_ids": [Command.set(partners.ids)], "dst_partner_id": dst.id})
        )
        return wizard.action_merge()

    def test_a_rep_cannot_take_a_customer_by_merging_it_into_their_own(self):
        # Contact Creation: what Odoo gives every new internal user (base.default_user)
        contact_creation = self.env.ref("base.group_partner_manager")
        (self.rep | self.officer).groups_id = [Command.link(contact_creation.id)]
        order = self._order(user=self.rep2, partner=self.theirs)
        with self.assertRaisesMsg(AccessError, "use Claim or Release"):
            self._merge(self.rep, self.theirs | self.mine, self.mine)
        self.assertTrue(self.theirs.exists())
        self.assertEqual(order.partner_id, self.theirs)
        # an officer may, and the history tells it
        self._merge(self.officer, self.theirs | self.mine, self.mine)
        self.assertFalse(self.theirs.exists())
        log = self._logs(self.mine)
        self.assertEqual((log.old_user_id, log.new_user_id), (self.rep2, self.rep))
        self.assertIn("Hangzhou Xihu", log.note)

    def test_a_rep_merges_their_own_customers_without_copying_protection(self):
        (self.rep | self.officer).groups_id = [
            Command.link(self.env.ref("base.group_partner_manager").id)
        ]
        other = self.env["res.partner"].create(
            {"name": "Ningbo Port Trading Ltd", "is_company": True, "user_id": self.rep.id}
        )
        other.with_user(self.officer).compliance_protection_end = "2099-12-31"
        self._merge(self.rep, other | self.mine, self.mine)
        self.assertFalse(other.exists())
        self.assertFalse(self.mine.compliance_protection_end)
        self.assertEqual(self.mine.user_id, self.rep)

    # -- import ----------------------------------------------------------------------
    def test_a_rep_cannot_take_or_protect_a_customer_through_import(self):
        Partner = self.env["res.partner"].with_user(self.rep)
        xmlid = self.theirs.get_external_id()[self.theirs.id] or ""
        if not xmlid:
            self.env["ir.model.data"].create(
                {
                    "module": "__import__",
                    "name": "theirs",
                    "model": "res.partner",
                    "res_id": self.theirs.id,
                }
            )
            xmlid = "__import__.theirs"
        result = Partner.load(["id", "user_id/.id"], [[xmlid, str(self.rep.id)]])
        self.assertFalse(result["ids"])
        self.assertTrue(result["messages"])
        result = Partner.load(
            ["name", "is_company", "compliance_protection_end"],
            [["Import Co", "1", "2099-12-31"]],
        )
        self.assertFalse(result["ids"])
        self.assertEqual(self.theirs.user_id, self.rep2)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Import Co")]))

    # -- cap and duplicate check through the same door -------------------------------
    def test_a_duplicate_made_as_a_contact_and_detached_is_refused(self):
        contact = (
            self.env["res.partner"]
            .with_user(self.rep)
            .create({"name": "Hangzhou Xihu Technology Co., Ltd.", "parent_id": self.mine.id})
        )
        with self.assertRaisesMsg(UserError, "a customer of Rep Zhang"):
            contact.write({"parent_id": False})
        self.assertEqual(contact.parent_id, self.mine)

    def test_a_partner_becoming_a_duplicate_through_write_is_refused(self):
        own = self.mine.with_user(self.rep)
        for vals in (
            {"name": "  hangzhou xihu technology co., ltd. "},
            {"vat": "91330100 MA2B3C4D5E"},
            {"phone": "0571-88881234"},
            {"mobile": "057188881234"},
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesMsg(UserError, "a customer of Rep Zhang"):
                    own.write(vals)
        self.assertEqual(self.mine.name, "Ningbo Port Trading")
        # a vendor of the same name becoming a customer
        vendor = (
            self.env["res.partner"]
            .with_user(self.rep)
            .create({"name": "Xihu Tech", "phone": "+86 (0)571 8888-1234", "supplier_rank": 1})
        )
        with self.assertRaisesMsg(UserError, "a customer of Rep Zhang"):
            vendor.write({"customer_rank": 1})

    def test_phone_numbers_are_compared_in_their_normalised_form(self):
        Partner = self.env["res.partner"].with_user(self.rep)
        for number in ("0571-88881234", "057188881234", "+86 571 8888 1234", "+8657188881234"):
            with self.subTest(number=number):
                with self.assertRaisesMsg(UserError, "a customer of Rep Zhang"):
                    Partner.create({"name": "西湖科技", "phone": number, "is_company": True})
        # another number of the same city is no duplicate
        self.assertTrue(Partner.create({"name": "西湖科技", "phone": "0571-88881235"}))

    def test_the_cap_holds_when_a_contact_becomes_a_customer(self):
        self.env["ir.config_parameter"].sudo().set_param("sales_compliance.claim_cap", 1)
        contact = (
            self.env["res.partner"]
            .with_user(self.rep)
            .create({"name": "Ningbo Branch", "parent_id": self.mine.id})
        )
        self.assertEqual(contact.user_id, self.rep)
        with self.assertRaisesMsg(UserError, "the cap is 1"):
            contact.write({"parent_id": False})
        self.assertEqual(contact.commercial_partner_id, self.mine)

    def test_a_new_lead_for_a_colleagues_customer_shows_the_conflict(self):
        Lead = self.env["crm.lead"].with_user(self.rep)
        for vals in (
            {"partner_name": "Hangzhou Xihu Technology Co., Ltd."},
            {"partner_name": "西湖", "phone": "0571 8888 1234"},
            {"partner_name": "西湖", "mobile": "+86 571 8888 1234"},
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesMsg(UserError, "a customer of Rep Zhang"):
                    Lead.create(dict(vals, name="New deal", user_id=self.rep.id, type="lead"))
        lead = Lead.create({"name": "Deal", "partner_name": "Other Co", "user_id": self.rep.id})
        with self.assertRaisesMsg(UserError, "a customer of Rep Zhang"):
            lead.write({"phone": "0571-88881234"})
        # the owner's own leads, and leads on one's own customers, are no conflict
        self.assertTrue(
            self.env["crm.lead"]
            .with_user(self.rep2)
            .create({"name": "Theirs", "partner_name": self.theirs.name, "user_id": self.rep2.id})
        )
        self.assertTrue(Lead.create({"name": "Mine", "partner_id": self.mine.id}))

    # -- protection dates ------------------------------------------------------------
    def test_a_rep_cannot_create_a_customer_with_its_own_protection(self):
        Partner = self.env["res.partner"].with_user(self.rep)
        with self.assertRaisesMsg(AccessError, "protection"):
            Partner.create(
                {
                    "name": "Forever Co",
                    "is_company": True,
                    "compliance_protection_end": "2099-12-31",
                }
            )
        with self.assertRaisesMsg(AccessError, "protection"):
            Partner.with_context(default_compliance_protection_end="2099-12-31").create(
                {"name": "Forever Co", "is_company": True}
            )
        with self.assertRaisesMsg(AccessError, "protection"):
            self.pool_person.with_user(self.rep).write({"compliance_protection_end": "2099-12-31"})
        # a contact's protection would become the customer's on a detach
        contact = Partner.create({"name": "Wu Fang", "parent_id": self.mine.id})
        with self.assertRaisesMsg(AccessError, "protection"):
            contact.write({"compliance_protection_end": "2099-12-31"})
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Forever Co")]))
        with self.assertRaisesMsg(AccessError, "Only the release job"):
            Partner.create({"name": "Told Co", "compliance_release_notice_sent": "2099-12-31"})
        # a copy does not carry the protection; an officer sets it
        self.mine.with_user(self.officer).compliance_protection_end = "2099-12-31"
        self.assertFalse(self.mine.copy_data()[0].get("compliance_protection_end"))

    # -- endless protection ----------------------------------------------------------
    def _stale(self, partner):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = now() - interval '200 days' WHERE id = %s",
            [partner.id],
        )
        self.env.cr.execute(
            "UPDATE sales_compliance_ownership_log SET date = now() - interval '200 days' "
            "WHERE partner_id = %s",
            [partner.id],
        )
        self.env.invalidate_all()

    def test_an_activity_scheduled_years_ahead_does_not_protect_forever(self):
        far, soon, done = self.env["res.partner"].create(
            [
                {"name": f"Followed {i}", "is_company": True, "user_id": self.rep.id}
                for i in range(3)
            ]
        )
        for partner in far | soon | done:
            self._stale(partner)
        far.with_user(self.rep).activity_schedule(
            "mail.mail_activity_data_call", date_deadline=self.today + timedelta(days=3 * 365)
        )
        soon.with_user(self.rep).activity_schedule(
            "mail.mail_activity_data_call", date_deadline=self.today - timedelta(days=5)
        )
        activity = done.with_user(self.rep).activity_schedule(
            "mail.mail_activity_data_call", date_deadline=self.today + timedelta(days=3 * 365)
        )
        activity.action_feedback(feedback="Called")
        self.env["res.partner"]._compliance_release_batch(partner_ids=(far | soon | done).ids)
        self.assertFalse(far.user_id)
        self.assertEqual(soon.user_id, self.rep)
        self.assertEqual(done.user_id, self.rep)
        # an activity that was done long ago does not count either
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE mail_message SET date = now() - interval '150 days' "
            "WHERE model = 'res.partner' AND res_id = %s",
            [done.id],
        )
        self.env["res.partner"]._compliance_release_batch(partner_ids=done.ids)
        self.assertFalse(done.user_id)

    def test_a_done_activity_dated_ahead_is_no_follow_up(self):
        partner = self.env["res.partner"].create(
            {"name": "Posted Ahead", "is_company": True, "user_id": self.rep.id}
        )
        self._stale(partner)
        partner.with_user(self.rep).message_post(
            body="Called",
            mail_activity_type_id=self.env.ref("mail.mail_activity_data_call").id,
            date="2099-12-31 00:00:00",
        )
        self.env["res.partner"]._compliance_release_batch(partner_ids=partner.ids)
        self.assertFalse(partner.user_id)

    def test_the_follow_up_window_uses_the_companys_day(self):
        """An activity due on the first day of the window counts, the day before not,
        whatever the hour in UTC."""
        self.company.partner_id.tz = "Asia/Shanghai"
        self.env["ir.config_parameter"].sudo().set_param("sales_compliance.release_days", 10)
        for utc_hour in (time(15, 59), time(16, 1)):
            moment = datetime.combine(datetime(2026, 12, 7), utc_hour)
            with self.subTest(moment=moment), freeze_time(moment):
                today = self.company._sales_today()
                inside, outside = self.env["res.partner"].create(
                    [
                        {"name": f"Window {moment} {i}", "is_company": True, "user_id": self.rep.id}
                        for i in range(2)
                    ]
                )
                for partner in inside | outside:
                    self._stale(partner)
                inside.activity_schedule(
                    "mail.mail_activity_data_call", date_deadline=today - timedelta(days=10)
                )
                outside.activity_schedule(
                    "mail.mail_activity_data_call", date_deadline=today - timedelta(days=11)
                )
                self.env["res.partner"]._compliance_release_batch(
                    partner_ids=(inside | outside).ids
                )
                self.assertEqual(inside.user_id, self.rep)
                self.assertFalse(outside.user_id)


@tagged("post_install", "-at_install")
class TestTrustOwnershipRpc(OwnershipFixture, HttpCase):
    """The same paths as a rep takes them over JSON-RPC (/web/dataset/call_kw)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["sales.compliance.rule"].search([]).write({"active": False})
        cls.rep = new_test_user(
            env, login="trust_own_rep", groups="sales_team.group_sale_salesman", name="Rep Qin"
        )
        cls.colleague = new_test_user(
            env, login="trust_own_rep2", groups="sales_team.group_sale_salesman", name="Rep Zhang"
        )
        cls._ownership_fixture(env, cls.rep, cls.colleague)

    def setUp(self):
        super().setUp()
        self.authenticate("trust_own_rep", "trust_own_rep")

    def _write(self, partner, vals):
        return call_kw(self, "res.partner", "write", [partner.ids, vals])

    def test_the_parent_company_path_over_rpc(self):
        with contextlib.suppress(RpcError):
            self._write(self.theirs, {"parent_id": self.mine.id})
        with self.assertRaisesRegex(RpcError, "use Claim or Release"):
            self._write(self.theirs, {"user_id": self.rep.id})
        with contextlib.suppress(RpcError):
            self._write(self.theirs, {"parent_id": False})
        with self.assertRaisesRegex(RpcError, "use Claim or Release"):
            self._write(self.their_person, {"parent_id": self.mine.id})
        self.env.invalidate_all()
        self.assertEqual(self.theirs.user_id, self.colleague)
        self.assertEqual(self.their_person.commercial_partner_id, self.their_person)
        self.assertFalse(
            self.Log.search([("partner_id", "in", (self.theirs | self.their_person).ids)])
        )

    def test_protection_and_duplicates_over_rpc(self):
        with self.assertRaisesRegex(RpcError, "protection"):
            call_kw(
                self,
                "res.partner",
                "create",
                [
                    {
                        "name": "Forever Co",
                        "is_company": True,
                        "compliance_protection_end": "2099-12-31",
                    }
                ],
            )
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Forever Co")]))
        [contact_id] = call_kw(
            self,
            "res.partner",
            "create",
            [[{"name": "Xihu Copy", "parent_id": self.mine.id, "phone": "057188881234"}]],
        )
        with self.assertRaisesRegex(RpcError, "a customer of Rep Zhang"):
            call_kw(self, "res.partner", "write", [[contact_id], {"parent_id": False}])
        self.env.invalidate_all()
        self.assertEqual(self.env["res.partner"].browse(contact_id).parent_id, self.mine)
        with self.assertRaisesRegex(RpcError, "a customer of Rep Zhang"):
            call_kw(
                self,
                "crm.lead",
                "create",
                [{"name": "Deal", "partner_name": "Xihu", "phone": "0571-88881234"}],
            )
