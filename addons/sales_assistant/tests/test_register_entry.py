from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_register import RegisterCase


@tagged("post_install", "-at_install")
class TestRegisterEntry(RegisterCase):
    """Logging a call or visitor, creating a lead from it, forwarding it; bad input."""

    def test_a_call_about_a_customer_is_for_its_salesperson_and_logged_by_whoever_logs_it(self):
        entry = self.log(self.desk, partner_id=self.customer.id)
        self.assertEqual(entry.user_id, self.rep)
        self.assertEqual(entry.team_id, self.team)
        self.assertEqual(entry.logged_by_id, self.desk)
        self.assertEqual(entry.outcome, "answered")
        self.assertTrue(entry.date)
        self.assertEqual(entry.name, "Mr Zhang · Asks for the price list")

    def test_a_visitor_for_a_colleague_is_for_whom_the_desk_says(self):
        entry = self.log(self.desk, kind="visit", user_id=self.mate.id, contact_company="常州恒通")
        self.assertEqual(entry.user_id, self.mate)
        self.assertEqual(entry.team_id, self.team)

    def test_nobody_changes_who_logged_an_entry(self):
        entry = self.log(self.rep)
        with self.assertRefused(UserError, "cannot be changed"):
            entry.with_user(self.rep).write({"logged_by_id": self.mate.id})
        with self.assertRefused(UserError, "cannot be changed"):
            self.log(self.rep, logged_by_id=self.mate.id)
        with self.assertRefused(UserError, "cannot be changed"):
            entry.with_user(self.desk).write({"logged_by_id": self.desk.id})
        self.assertEqual(entry.logged_by_id, self.rep)

    def test_an_entry_without_who_or_why_is_refused(self):
        Entry = self.env["sales.register.entry"]
        before = Entry.search_count([])
        with self.assertRefused(ValidationError, "Say who called or came"):
            self.log(self.rep, contact_name="  ", contact_phone=False)
        with self.assertRefused(ValidationError, "Say what the call or visit was about"):
            self.log(self.rep, subject="")
        entry = self.log(self.rep, partner_id=self.customer.id, contact_name=False)
        with self.assertRefused(ValidationError, "Say who called or came"):
            entry.with_user(self.rep).write({"partner_id": False})
        self.assertEqual(Entry.search_count([]), before + 1)
        self.assertEqual(entry.partner_id, self.customer)

    def test_an_entry_for_someone_of_another_company_is_refused(self):
        Entry = self.env["sales.register.entry"]
        before = Entry.search_count([])
        with self.assertRefused(ValidationError, "does not work for"):
            self.log(self.desk, user_id=self.rep_b.id)
        entry = self.log(self.desk, user_id=self.mate.id)
        with self.assertRefused(ValidationError, "does not work for"):
            entry.with_user(self.desk).write({"user_id": self.rep_b.id})
        self.assertEqual(Entry.search_count([]), before + 1)
        self.assertEqual(entry.user_id, self.mate)

    def test_an_entry_for_a_portal_user_is_refused(self):
        portal = self.env["res.users"].create(
            {
                "name": "Portal Buyer",
                "login": "reg_portal_buyer",
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        with self.assertRefused(ValidationError, "is not an employee"):
            self.log(self.desk, user_id=portal.id)

    def test_an_entry_cannot_name_a_lead_its_author_may_not_read(self):
        lead = self.env["crm.lead"].create(
            {"name": "Sun's deal", "type": "opportunity", "user_id": self.other_rep.id}
        )
        Entry = self.env["sales.register.entry"]
        before = Entry.search_count([])
        with self.assertRefused(AccessError, "crm.lead|Lead"):
            self.log(self.rep, lead_id=lead.id)
        entry = self.log(self.rep)
        with self.assertRefused(AccessError, "crm.lead|Lead"):
            entry.with_user(self.rep).write({"lead_id": lead.id})
        self.assertEqual(Entry.search_count([]), before + 1)
        self.assertFalse(entry.lead_id)
        # the desk, who reads every lead, links it; the call is then for Sun
        by_desk = self.log(self.desk, lead_id=lead.id, contact_name=False)
        self.assertEqual(by_desk.user_id, self.other_rep)
        self.assertEqual(by_desk.team_id, self.other_team)

    def test_an_entry_cannot_move_to_a_company_its_editor_is_not_in(self):
        entry = self.log(self.rep, user_id=self.rep.id)
        with self.assertRefused(UserError, "company you do not work in"):
            entry.with_user(self.rep).write({"company_id": self.company_b.id})
        self.assertEqual(entry.company_id, self.company)

    # ------------------------------------------------------------------
    # A new lead
    # ------------------------------------------------------------------
    def test_a_new_lead_from_a_call_carries_the_caller_and_is_linked(self):
        entry = self.log(self.rep, contact_company="无锡新锐自动化有限公司", user_id=self.rep.id)
        entry.with_user(self.rep).action_create_lead()
        lead = entry.lead_id
        self.assertTrue(lead)
        self.assertEqual(lead.name, "Asks for the price list")
        self.assertEqual(lead.contact_name, "Mr Zhang")
        self.assertEqual(lead.partner_name, "无锡新锐自动化有限公司")
        self.assertEqual(lead.phone, "0512-6666 1234")
        self.assertEqual(lead.user_id, self.rep)
        self.assertEqual(lead.team_id, self.team)

    def test_a_lead_from_a_call_for_nobody_is_of_whoever_creates_it(self):
        entry = self.log(self.rep, contact_company="无锡新锐自动化有限公司")
        self.assertFalse(entry.user_id)
        entry.with_user(self.rep).action_create_lead()
        self.assertEqual(entry.lead_id.user_id, self.rep)
        self.assertEqual(entry.user_id, self.rep)

    def test_a_lead_of_a_company_someone_else_owns_is_refused_as_by_hand(self):
        self.env["res.partner"].create(
            {"name": "常州恒通阀门有限公司", "is_company": True, "user_id": self.other_rep.id}
        )
        Lead = self.env["crm.lead"]
        entry = self.log(self.rep, contact_company="常州恒通阀门有限公司", user_id=self.rep.id)
        # the same refusal as a lead created by hand
        with self.assertRefused(UserError, "already exists as 常州恒通阀门有限公司.*Rep Sun"):
            Lead.with_user(self.rep).create(
                {"name": "By hand", "partner_name": "常州恒通阀门有限公司", "user_id": self.rep.id}
            )
        leads_before = Lead.search_count([])
        with self.assertRefused(UserError, "already exists as 常州恒通阀门有限公司.*Rep Sun"):
            entry.with_user(self.rep).action_create_lead()
        self.assertEqual(Lead.search_count([]), leads_before)
        self.assertFalse(entry.lead_id)

    def test_a_second_lead_from_the_same_entry_is_refused(self):
        entry = self.log(self.rep, contact_company="无锡新锐自动化有限公司", user_id=self.rep.id)
        entry.with_user(self.rep).action_create_lead()
        lead = entry.lead_id
        Lead = self.env["crm.lead"]
        leads_before = Lead.search_count([])
        with self.assertRefused(UserError, "already has its lead"):
            entry.with_user(self.rep).action_create_lead()
        self.assertEqual(Lead.search_count([]), leads_before)
        self.assertEqual(entry.lead_id, lead)

    # ------------------------------------------------------------------
    # Forwarding
    # ------------------------------------------------------------------
    def test_forwarding_a_call_gives_its_rep_a_to_do_on_the_customer(self):
        entry = self.log(self.desk, partner_id=self.customer.id, contact_company="精工采购部")
        entry.with_user(self.desk).action_forward()
        self.assertEqual(entry.outcome, "forwarded")
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
        )
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.rep)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        self.assertIn("Asks for the price list", activity.summary)
        self.assertIn("Mr Zhang", str(activity.note))
        self.assertIn("0512-6666 1234", str(activity.note))
        self.assertEqual(activity.date_deadline, self.company._sales_today())

    def test_forwarding_a_call_without_customer_or_lead_puts_the_to_do_on_the_entry(self):
        entry = self.log(self.desk, user_id=self.mate.id)
        entry.with_user(self.desk).action_forward()
        self.assertEqual(entry.activity_ids.user_id, self.mate)
        self.assertEqual(entry.outcome, "forwarded")

    def test_forwarding_a_call_for_nobody_is_refused(self):
        entry = self.log(self.desk)
        with self.assertRefused(UserError, "Say whom"):
            entry.with_user(self.desk).action_forward()
        self.assertEqual(entry.outcome, "answered")
        self.assertFalse(entry.activity_ids)

    # ------------------------------------------------------------------
    # The customer's form
    # ------------------------------------------------------------------
    def test_the_customer_counts_its_calls_and_visitors_and_opens_the_log_form(self):
        contact = self.env["res.partner"].create(
            {"name": "Mr Zhang", "parent_id": self.customer.id}
        )
        self.log(self.desk, partner_id=self.customer.id)
        self.log(self.desk, kind="visit", partner_id=contact.id)
        self.log(self.desk, contact_company="Someone else")
        customer = self.customer.with_user(self.rep)
        self.assertEqual(customer.register_entry_count, 2)
        self.assertEqual(self.customer.with_user(self.other_rep).register_entry_count, 0)
        action = customer.action_register_log()
        self.assertEqual(action["target"], "new")
        self.assertEqual(action["res_model"], "sales.register.entry")
        self.assertEqual(action["context"], {"default_partner_id": self.customer.id})
        listed = customer.action_view_register_entries()
        self.assertEqual(
            self.env["sales.register.entry"].with_user(self.rep).search_count(listed["domain"]), 2
        )

    def test_the_lead_form_opens_the_log_form_about_the_lead(self):
        lead = self.env["crm.lead"].create(
            {"name": "Wang's deal", "user_id": self.rep.id, "partner_id": self.customer.id}
        )
        action = lead.with_user(self.rep).action_register_log()
        self.assertEqual(action["target"], "new")
        self.assertEqual(
            action["context"],
            {"default_lead_id": lead.id, "default_partner_id": self.customer.id},
        )
        other = self.env["crm.lead"].create({"name": "Sun's deal", "user_id": self.other_rep.id})
        with self.assertRaises(AccessError):
            other.with_user(self.rep).action_register_log()

    def test_a_rep_opens_the_registers_in_every_view(self):
        for xmlid in ("action_register_entry_call", "action_register_entry_visit"):
            action = self.env.ref(f"sales_assistant.{xmlid}")
            views = (
                self.env["sales.register.entry"]
                .with_user(self.rep)
                .get_views(
                    [(False, mode) for mode in action.view_mode.split(",")] + [(False, "search")]
                )
            )
            self.assertEqual(
                set(views["views"]), {"list", "pivot", "graph", "form", "search"}, xmlid
            )
        quick = (
            self.env["sales.register.entry"]
            .with_user(self.rep)
            .get_views(
                [(self.env.ref("sales_assistant.sales_register_entry_view_form_quick").id, "form")]
            )
        )
        self.assertIn("subject", quick["models"]["sales.register.entry"]["fields"])
