from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import HandoverCase


@tagged("post_install", "-at_install")
class TestHandover(HandoverCase):
    def test_preview_then_handover_to_two_successors(self):
        wizard = self._wizard(
            distribution="round_robin",
            successor_ids=[Command.set((self.succ_a | self.succ_b).ids)],
        )
        wizard.action_preview()
        # nothing moved by the preview
        self.assertEqual(self.customers.mapped("user_id"), self.leaving)
        lines = wizard.preview_line_ids
        self.assertEqual(lines.successor_id, self.succ_a | self.succ_b)
        self.assertEqual(sum(lines.mapped("customer_count")), 4)
        self.assertEqual(sum(lines.mapped("opportunity_count")), 3)
        # the activities: the set-up's To Do and the return visit (回访) of the new customer's
        # first order, both the leaving rep's
        return_visit_type = self.env["mail.activity"]._sales_return_visit_type()
        self.assertEqual(
            self.env["mail.activity"]
            .search([("user_id", "=", self.leaving.id)])
            .mapped("activity_type_id")
            .filtered(lambda kind: kind == return_visit_type),
            return_visit_type,
        )
        self.assertEqual(wizard.preview_total, 4 + 3 + 2 + 2)
        # each customer keeps one contact for all its deals
        for line in lines:
            self.assertEqual(
                line.opportunity_ids.partner_id, line.opportunity_ids.partner_id & line.customer_ids
            )

        action = wizard.action_confirm()
        log = self.env["sales.handover.log"].browse(action["res_id"])
        self.assertEqual(log.state, "done")
        self.assertEqual(log.user_id, self.manager)
        self.assertEqual(
            (
                log.customer_count,
                log.opportunity_count,
                log.quotation_count,
                log.order_count,
                log.activity_count,
            ),
            (4, 3, 1, 1, 2),
        )
        self.assertEqual(self._held_by_leaving(), 0)
        self.assertEqual(
            set(self.customers.mapped("user_id").ids), {self.succ_a.id, self.succ_b.id}
        )
        for lead in self.leads:
            self.assertEqual(lead.user_id, lead.partner_id.user_id)
        self.assertEqual(self.quotation.user_id, self.customers[1].user_id)
        self.assertEqual(self.activity.user_id, self.customers[3].user_id)
        self.assertEqual(self.foreign_customer.user_id, self.outsider)

    def test_ownership_log_protection_and_chatter(self):
        wizard = self._wizard(distribution="single", successor_ids=[Command.set(self.succ_a.ids)])
        wizard.action_confirm()
        customer = self.customers[0]
        log = customer.compliance_ownership_log_ids[:1]
        self.assertEqual(
            (log.old_user_id, log.new_user_id, log.reason), (self.leaving, self.succ_a, "assign")
        )
        self.assertEqual(log.user_id, self.manager)
        self.assertIn("Hand-over", log.note)
        self.assertGreater(customer.compliance_protection_end, self.env.company._sales_today())
        for record in (customer, self.leads[0], self.quotation, self.order):
            note = record.message_ids.filtered(
                lambda m: "Handed over from Rep Zhao" in (m.body or "")
            )
            self.assertTrue(note, f"no hand-over note on {record.display_name}")

    def test_earned_credit_stays_with_former_rep(self):
        self.quotation.credit_share_ids = [
            Command.create({"user_id": self.leaving.id, "share": 100})
        ]
        self._wizard(
            distribution="single", successor_ids=[Command.set(self.succ_a.ids)]
        ).action_confirm()
        self.assertEqual(self.order.user_id, self.succ_a)
        self.assertEqual(self.order.credit_share_ids.user_id, self.leaving)
        self.assertEqual(self.order.credit_share_ids.share, 100.0)
        # not earned yet: the quotation's credit goes with it
        self.assertEqual(self.quotation.credit_share_ids.user_id, self.succ_a)

    def test_open_opportunity_split_moves_to_successor(self):
        lead = self.leads[1]
        lead.credit_share_ids = [
            Command.create({"user_id": self.leaving.id, "share": 60}),
            Command.create({"user_id": self.succ_b.id, "share": 40}),
        ]
        self._wizard(
            distribution="single", successor_ids=[Command.set(self.succ_b.ids)]
        ).action_confirm()
        self.assertEqual(lead.credit_share_ids.user_id, self.succ_b)
        self.assertEqual(lead.credit_share_ids.share, 100.0)

    def test_joint_visit_for_late_stage(self):
        self._wizard(
            distribution="single",
            successor_ids=[Command.set(self.succ_a.ids)],
            joint_visit_probability=80,
        ).action_confirm()
        late, early = self.leads[0], self.leads[1]
        self.assertTrue(late.handover_joint_visit)
        self.assertEqual(late.handover_previous_user_id, self.leaving)
        self.assertFalse(early.handover_joint_visit)
        visit = late.activity_ids.filtered(lambda a: "Joint visit" in (a.summary or ""))
        self.assertEqual(visit.user_id, self.succ_a)

    def test_back_to_pool(self):
        wizard = self._wizard(distribution="pool")
        wizard.action_confirm()
        self.assertFalse(self.customers.user_id)
        self.assertTrue(all(self.customers.mapped("compliance_in_pool")))
        self.assertEqual(self.customers[0].compliance_ownership_log_ids[:1].reason, "release")
        self.assertFalse(self.leads.user_id)
        # orders and activities need someone: the team leader
        self.assertEqual(self.quotation.user_id, self.leader)
        self.assertEqual(self.order.user_id, self.leader)

    def test_by_load_gives_more_to_the_least_loaded(self):
        self.env["res.partner"].sudo().create(
            [
                {"name": f"Busy {i}", "is_company": True, "user_id": self.succ_a.id}
                for i in range(20)
            ]
        )
        wizard = self._wizard(
            distribution="load", successor_ids=[Command.set((self.succ_a | self.succ_b).ids)]
        )
        wizard.action_preview()
        line_b = wizard.preview_line_ids.filtered(lambda line: line.successor_id == self.succ_b)
        self.assertEqual(line_b.customer_count, 4)

    def test_by_team(self):
        west = self.env["crm.team"].create(
            {"name": "West", "member_ids": [Command.set(self.outsider.ids)]}
        )
        self.outsider.sale_team_id = west
        wizard = self._wizard(
            distribution="team", successor_ids=[Command.set((self.succ_a | self.outsider).ids)]
        )
        wizard.action_preview()
        line = wizard.preview_line_ids.filtered(lambda line: line.successor_id == self.succ_a)
        # the deals of team East go to the successor of team East
        self.assertEqual(line.opportunity_ids, self.leads)

    def test_customer_email_from_template(self):
        self.customers[0].lang = "en_US"
        self._wizard(
            distribution="single",
            successor_ids=[Command.set(self.succ_a.ids)],
            notify_customers=True,
        ).action_confirm()
        mails = self.env["mail.mail"].search([("recipient_ids", "in", self.customers.ids)])
        self.assertEqual(len(mails), 4)
        self.assertIn("Rep Qian", mails[0].body_html)

    def test_batches_resume_after_interruption(self):
        self.env["ir.config_parameter"].set_param("sales_assistant.handover_batch_size", 3)
        wizard = self._wizard(distribution="single", successor_ids=[Command.set(self.succ_a.ids)])
        log = self.env["sales.handover.log"].browse(wizard.action_confirm()["res_id"])
        self.assertEqual(log.state, "running")
        self.assertEqual(log.done_count, 3)
        # the cron moves the next batches, one per call, and does nothing once done
        Log = self.env["sales.handover.log"]
        for _i in range(5):
            Log._cron_handover()
        self.assertEqual(log.state, "done")
        self.assertEqual(log.done_count, log.line_count)
        self.assertEqual(self._held_by_leaving(), 0)
        Log._cron_handover()
        self.assertEqual(log.done_count, log.line_count)

    def test_interrupted_run_stops_and_resumes(self):
        self.env["ir.config_parameter"].set_param("sales_assistant.handover_batch_size", 2)
        wizard = self._wizard(distribution="single", successor_ids=[Command.set(self.succ_a.ids)])
        Log = self.env["sales.handover.log"]
        log = Log.browse(wizard.action_confirm()["res_id"])
        # a batch fails (a constraint, a lock...): the run stops, what moved stays moved
        broken = UserError("Deal 1 is locked by an ongoing import")
        with patch.object(type(Log), "_handover_move_opportunity", side_effect=broken):
            for _i in range(3):
                Log._cron_handover()
        self.assertEqual(log.state, "failed")
        self.assertIn("locked", log.error)
        self.assertEqual(self.customers.user_id, self.succ_a)
        self.assertEqual(self.leads.user_id, self.leaving)
        with self.assertRaises(AccessError):
            log.with_user(self.succ_a).action_resume()
        log.with_user(self.manager).action_resume()
        for _i in range(3):
            Log._cron_handover()
        self.assertEqual(log.state, "done")
        self.assertEqual(self._held_by_leaving(), 0)

    def test_preview_shows_successor_over_the_cap(self):
        self.env["ir.config_parameter"].set_param("sales_compliance.claim_cap", 3)
        wizard = self._wizard(distribution="single", successor_ids=[Command.set(self.succ_a.ids)])
        wizard.action_preview()
        self.assertEqual(wizard.preview_line_ids.customers_after, 4)
        self.assertTrue(wizard.preview_line_ids.over_cap)

    def test_changed_meanwhile_is_skipped(self):
        self.env["ir.config_parameter"].set_param("sales_assistant.handover_batch_size", 1)
        wizard = self._wizard(distribution="single", successor_ids=[Command.set(self.succ_a.ids)])
        log = self.env["sales.handover.log"].browse(wizard.action_confirm()["res_id"])
        self.customers[1].sudo().user_id = self.outsider
        for _i in range(15):
            self.env["sales.handover.log"]._cron_handover()
        self.assertEqual(log.state, "done")
        self.assertEqual(self.customers[1].user_id, self.outsider)
        self.assertEqual(
            log.line_ids.filtered(
                lambda line: line.res_model == "res.partner" and line.res_id == self.customers[1].id
            ).state,
            "skipped",
        )


@tagged("post_install", "-at_install")
class TestHandoverBadInput(HandoverCase):
    def assertRefused(self, wizard, message):
        logs = self.env["sales.handover.log"].search_count([])
        with self.assertRaisesRegex(UserError, message):
            wizard.action_confirm()
        with self.assertRaisesRegex(UserError, message):
            wizard.action_preview()
        self.assertEqual(self.env["sales.handover.log"].search_count([]), logs)
        self.assertEqual(self.customers.mapped("user_id"), self.leaving)
        self.assertEqual(self.leads.mapped("user_id"), self.leaving)

    def test_to_oneself(self):
        wizard = self._wizard(successor_ids=[Command.set(self.leaving.ids)])
        self.assertRefused(wizard, "cannot hand over to themselves")

    def test_to_inactive_user(self):
        self.succ_a.active = False
        wizard = self._wizard(successor_ids=[Command.set(self.succ_a.ids)])
        self.assertRefused(wizard, "inactive")

    def test_to_other_company_user(self):
        other = self.env["res.company"].create({"name": "深圳分公司"})
        stranger = new_test_user(
            self.env,
            login="ho_stranger",
            groups="sales_team.group_sale_salesman",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        wizard = self._wizard(successor_ids=[Command.set(stranger.ids)])
        self.assertRefused(wizard, "does not work for")

    def test_nothing_to_move(self):
        idle = new_test_user(self.env, login="ho_idle", groups="sales_team.group_sale_salesman")
        wizard = self._wizard(from_user_id=idle.id, successor_ids=[Command.set(self.succ_a.ids)])
        with self.assertRaisesRegex(UserError, "nothing to hand over"):
            wizard.action_confirm()
        self.assertFalse(self.env["sales.handover.log"].search([("from_user_id", "=", idle.id)]))

    def test_no_successor(self):
        wizard = self._wizard(distribution="round_robin")
        self.assertRefused(wizard, "at least one successor")


@tagged("post_install", "-at_install")
class TestHandoverAccess(HandoverCase):
    def test_rep_cannot_hand_over(self):
        with self.assertRaises(AccessError):
            self._wizard(user=self.leaving, successor_ids=[Command.set(self.succ_a.ids)])
        # nor call the run directly
        Log = self.env["sales.handover.log"].with_user(self.leaving)
        with self.assertRaises(AccessError):
            Log._handover_start({"from_user_id": self.leaving.id, "distribution": "pool"}, [])
        self.assertEqual(self.customers.mapped("user_id"), self.leaving)

    def test_manager_of_another_company_cannot_resume(self):
        log = self.env["sales.handover.log"].create(
            {"from_user_id": self.leaving.id, "distribution": "pool", "state": "failed"}
        )
        other = self.env["res.company"].create({"name": "广州分公司"})
        foreign_manager = new_test_user(
            self.env,
            login="ho_foreign_manager",
            groups="sales_team.group_sale_manager",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        with self.assertRaises(AccessError):
            log.with_user(foreign_manager).action_resume()
        self.assertEqual(log.state, "failed")

    def test_log_visibility(self):
        self._wizard(
            distribution="single", successor_ids=[Command.set(self.succ_a.ids)]
        ).action_confirm()
        other = new_test_user(self.env, login="ho_other", groups="sales_team.group_sale_salesman")
        Log = self.env["sales.handover.log"]
        self.assertEqual(Log.with_user(self.leaving).search_count([]), 1)
        self.assertEqual(Log.with_user(self.succ_a).search_count([]), 1)
        self.assertEqual(Log.with_user(self.leader).search_count([]), 1)  # their team's
        self.assertEqual(Log.with_user(other).search_count([]), 0)
        self.assertEqual(Log.with_user(self.manager).search_count([]), 1)
        lines = self.env["sales.handover.log.line"]
        self.assertEqual(lines.with_user(other).search_count([]), 0)
        self.assertTrue(lines.with_user(self.leader).search_count([]))
        with self.assertRaises(AccessError):
            Log.with_user(self.leaving).search([]).write({"state": "done"})
        with self.assertRaises(UserError):
            Log.search([]).unlink()


@tagged("post_install", "-at_install")
class TestHandoverChinese(HandoverCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["sales_assistant"], ["zh_CN"])
        cls.manager.lang = "zh_CN"

    def test_errors_screens_and_email_in_chinese(self):
        wizard = self._wizard(successor_ids=[Command.set(self.leaving.ids)])
        with self.assertRaisesRegex(UserError, "不能移交给自己"):
            wizard.with_context(lang="zh_CN").action_preview()
        menu = self.env.ref("sales_assistant.menu_assistant_handover")
        self.assertEqual(menu.with_context(lang="zh_CN").name, "销售员交接")
        self.customers[0].lang = "zh_CN"
        self._wizard(
            distribution="single",
            successor_ids=[Command.set(self.succ_a.ids)],
            notify_customers=True,
        ).action_confirm()
        mail = self.env["mail.mail"].search([("recipient_ids", "in", self.customers[0].ids)])
        self.assertIn("您的新联系人", mail.subject)
        self.assertIn("由 Rep Qian 负责您的账户", mail.body_html)


@tagged("post_install", "-at_install")
class TestHandoverQueries(HandoverCase):
    def _holder(self, login, size):
        rep = new_test_user(self.env, login=login, groups="sales_team.group_sale_salesman")
        customers = (
            self.env["res.partner"]
            .sudo()
            .create(
                [
                    {"name": f"{login} {i}", "is_company": True, "user_id": rep.id}
                    for i in range(size)
                ]
            )
        )
        self.env["crm.lead"].create(
            [
                {
                    "name": f"{login} deal {i}",
                    "type": "opportunity",
                    "user_id": rep.id,
                    "partner_id": customer.id,
                    "stage_id": self.leads[0].stage_id.id,
                    "probability": 90 if i % 2 else 10,
                }
                for i, customer in enumerate(customers)
            ]
        )
        return rep

    def _queries(self, rep):
        wizard = self._wizard(
            from_user_id=rep.id,
            distribution="round_robin",
            successor_ids=[Command.set((self.succ_a | self.succ_b).ids)],
        )
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        log = self.env["sales.handover.log"].browse(wizard.action_confirm()["res_id"])
        self.env.flush_all()
        self.assertEqual(log.state, "done")
        return self.env.cr.sql_log_count - before

    def test_queries_do_not_grow_per_record(self):
        small = self._queries(self._holder("ho_q_small", 5))
        large = self._queries(self._holder("ho_q_large", 40))
        # eight times the records, the same batches: the same queries, give or take
        # the few that depend on how the records fall (joint visits...)
        self.assertLessEqual(large, small + 10, f"{small} queries for 10 records, {large} for 80")
