"""Renewal (续签) and expiry of contracts: the daily cron gives the salesperson one "Renew the
contract" activity the company's renewal days before the end, and expires the contracts whose
end has passed, in the company's day (Shanghai here, UTC+8 all year round)."""

import re
from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..models.sales_contract import CONTRACT_FLOW
from .common import ContractCase

BEFORE = datetime(2027, 1, 5, 15, 59)  # 23:59 on 5 January in Shanghai
AFTER = datetime(2027, 1, 5, 16, 1)  # 00:01 on 6 January in Shanghai, still 5 January in UTC


def in_force(env, customer, date_end, user, count=1, start=date(2026, 1, 1), **values):
    """``count`` signed contracts of ``user`` ending on ``date_end``, created in one go
    (their review and signing are the flow's tests)."""
    return (
        env["sales.contract"]
        .with_context(sales_contract_flow=CONTRACT_FLOW)
        .create(
            [
                {
                    "partner_id": customer.id,
                    "user_id": user.id,
                    "amount": 50000.0,
                    "date_start": start,
                    "date_end": date_end,
                    "state": "signed",
                    "date_signed": start,
                    **values,
                }
                for _i in range(count)
            ]
        )
    )


@tagged("post_install", "-at_install")
class TestContractRenewal(ContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.company.contract_renewal_days = 30
        cls.renewal_type = cls.env.ref("sales_assistant.mail_activity_type_contract_renewal")
        cls.Contract = cls.env["sales.contract"]

    @classmethod
    def in_force(cls, date_end, user=None, count=1, start=date(2026, 1, 1)):
        return in_force(cls.env, cls.customer, date_end, user or cls.rep, count, start)

    def reminders(self, contracts, user=None):
        """The open renewal activities of ``contracts``, as ``user`` (the rep) sees them."""
        return (
            self.env["mail.activity"]
            .with_user(user or self.rep)
            .search(
                [
                    ("res_model", "=", "sales.contract"),
                    ("res_id", "in", contracts.ids),
                    ("activity_type_id", "=", self.renewal_type.id),
                ]
            )
        )

    def run_cron(self):
        return self.Contract._contract_renewal_run()

    # ------------------------------------------------------------------
    # The company's day
    # ------------------------------------------------------------------
    def test_reminder_comes_after_midnight_in_shanghai_not_before(self):
        contract = self.in_force(date(2027, 2, 5))  # 30 days after 6 January
        with freeze_time(BEFORE):
            self.assertEqual(self.run_cron(), 0)
            self.assertFalse(self.reminders(contract))
        with freeze_time(AFTER):
            self.assertEqual(self.run_cron(), 1)
        reminder = self.reminders(contract)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, self.rep)
        self.assertEqual(reminder.summary, "Renew the contract")
        self.assertEqual(reminder.date_deadline, date(2027, 1, 6))
        self.assertEqual(contract.renewal_activity_date, date(2027, 1, 6))

    def test_contract_expires_after_midnight_in_shanghai_not_before(self):
        contract = self.in_force(date(2027, 1, 5))
        with freeze_time(BEFORE):
            self.run_cron()
            self.assertEqual(contract.state, "signed", "its last day is not over in Shanghai")
        with freeze_time(AFTER):
            self.run_cron()
        self.assertEqual(contract.state, "expired")
        self.assertTrue(contract.is_head)
        self.assertIn("has passed", contract.message_ids[:1].body)

    def test_late_reminder_is_due_today(self):
        """A contract signed (or a cron run) after its notice day is due today, not in the
        past; one ending beyond the notice gets nothing yet."""
        soon = self.in_force(date(2027, 1, 16))
        later = self.in_force(date(2027, 3, 1))
        with freeze_time(AFTER):
            self.run_cron()
        self.assertEqual(self.reminders(soon).date_deadline, date(2027, 1, 6))
        self.assertFalse(self.reminders(later))

    def test_each_company_follows_its_own_day_and_renewal_days(self):
        west = self.env["res.company"].create(
            {"name": "Renewal West Co", "contract_renewal_days": 10}
        )
        west.partner_id.tz = "America/Los_Angeles"  # 08:01 on 5 January at AFTER

        def of_west(end):
            return in_force(self.env, self.customer, end, self.rep, company_id=west.id)

        west_due, west_later, west_last_day = (
            of_west(date(2027, 1, 15)),
            of_west(date(2027, 1, 16)),
            of_west(date(2027, 1, 5)),
        )
        ours_last_day = self.in_force(date(2027, 1, 5))
        with freeze_time(AFTER):
            self.run_cron()
        self.assertEqual(self.reminders(west_due).date_deadline, date(2027, 1, 5))
        self.assertFalse(self.reminders(west_later), "10 days in the west company")
        self.assertEqual(west_last_day.state, "signed", "still 5 January in Los Angeles")
        self.assertEqual(ours_last_day.state, "expired")

    # ------------------------------------------------------------------
    # Once only
    # ------------------------------------------------------------------
    def test_rerun_writes_nothing(self):
        due = self.in_force(date(2027, 1, 20), count=3)
        passed = self.in_force(date(2027, 1, 1), count=2)
        with freeze_time(AFTER):
            self.assertEqual(self.run_cron(), 5)
            statements = []
            execute = self.env.cr.execute

            def spy(query, params=None, log_exceptions=True):
                result = execute(query, params, log_exceptions)
                statement = str(getattr(query, "code", query)).upper().replace("FOR UPDATE", "")
                if re.search(r"\b(UPDATE|INSERT|DELETE)\b", statement):
                    statements.append((statement, self.env.cr.rowcount))
                return result

            with patch.object(self.env.cr, "execute", spy):
                self.assertEqual(self.run_cron(), 0)
        self.assertTrue(statements, "the rerun tried")
        self.assertFalse([s for s, rows in statements if rows], "a rerun writes nothing")
        self.assertEqual(len(self.reminders(due)), 3)
        self.assertEqual(set(passed.mapped("state")), {"expired"})

    def test_renewed_contract_gets_no_reminder(self):
        contract = self.in_force(date(2027, 1, 20))
        contract.with_user(self.rep).action_renew()
        with freeze_time(AFTER):
            self.assertEqual(self.run_cron(), 0)
        self.assertFalse(self.reminders(contract))

    def test_contract_shows_its_renewals(self):
        contract = self.in_force(date(2027, 1, 20))
        renewal = self.Contract.browse(contract.with_user(self.rep).action_renew()["res_id"])
        self.assertEqual(contract.with_user(self.rep).renewal_ids, renewal)
        views = self.Contract.with_user(self.rep).get_views([(False, "form")])
        self.assertIn('name="renewal_ids"', views["views"]["form"]["arch"])

    def test_cancelled_renewal_does_not_count(self):
        contract = self.in_force(date(2027, 1, 20))
        action = contract.with_user(self.rep).action_renew()
        self.Contract.browse(action["res_id"]).with_user(self.rep).action_cancel()
        with freeze_time(AFTER):
            self.assertEqual(self.run_cron(), 1)
        self.assertEqual(len(self.reminders(contract)), 1)

    def test_renewing_closes_the_reminder(self):
        contract = self.in_force(date(2027, 1, 20))
        with freeze_time(AFTER):
            self.run_cron()
        self.assertTrue(self.reminders(contract))
        contract.with_user(self.rep).action_renew()
        self.assertFalse(self.reminders(contract))

    def test_signed_change_gets_no_second_reminder(self):
        """The reminder stays with the contract when a change is signed meanwhile."""
        contract = self.signed_contract(date_start=date(2026, 2, 1), date_end=date(2027, 1, 25))
        with freeze_time(AFTER):
            self.run_cron()
        self.assertEqual(len(self.reminders(contract)), 1)
        change = self.Contract.browse(contract.with_user(self.rep).action_new_version()["res_id"])
        change.with_user(self.rep).write({"amount": 120000.0})
        change.with_user(self.rep).action_submit()
        self.sign(change)
        self.assertTrue(change.is_head)
        with freeze_time(AFTER):
            self.assertEqual(self.run_cron(), 0)
        self.assertFalse(self.reminders(change))

    def test_marker_is_not_written_by_hand(self):
        contract = self.make_contract()
        with self.assertRefused(UserError, "renewal cron only"):
            contract.with_user(self.rep).write({"renewal_activity_date": self.today})
        created = self.make_contract(renewal_activity_date=self.today)
        self.assertFalse(created.renewal_activity_date)

    # ------------------------------------------------------------------
    # Setting
    # ------------------------------------------------------------------
    def test_renewal_days_follow_the_setting(self):
        contract = self.in_force(date(2027, 1, 26))  # 20 days after 6 January
        settings = self.env["res.config.settings"].create({"contract_renewal_days": 10})
        settings.execute()
        self.assertEqual(self.company.contract_renewal_days, 10)
        with freeze_time(AFTER):
            self.assertEqual(self.run_cron(), 0)
        self.company.contract_renewal_days = 20
        with freeze_time(AFTER):
            self.assertEqual(self.run_cron(), 1)
        self.assertEqual(self.reminders(contract).date_deadline, date(2027, 1, 6))

    def test_negative_renewal_days_are_refused(self):
        with self.assertRefused(ValidationError, "0 or more"):
            self.env["res.config.settings"].create({"contract_renewal_days": -5}).execute()
        self.assertEqual(self.company.contract_renewal_days, 30)
        with self.assertRefused(ValidationError, "0 or more"):
            self.company.contract_renewal_days = -1

    def test_default_renewal_days(self):
        company = self.env["res.company"].create({"name": "Renewal Default Co"})
        self.assertEqual(company.contract_renewal_days, 30)

    # ------------------------------------------------------------------
    # Speed
    # ------------------------------------------------------------------
    def test_queries_do_not_grow_with_the_contracts(self):
        def queries(due, passed):
            self.in_force(date(2027, 1, 20), count=due)
            self.in_force(date(2027, 1, 1), count=passed)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            with freeze_time(AFTER):
                self.assertEqual(self.run_cron(), due + passed)
            return self.cr.sql_log_count - before

        queries(1, 1)  # warm the caches
        few = queries(5, 5)
        many = queries(50, 50)
        self.assertEqual(few, many)

    def test_cron_runs_as_scheduled(self):
        contract = self.in_force(date(2027, 1, 20))
        cron = self.env.ref("sales_assistant.ir_cron_contract_renewal")
        self.assertEqual(cron.code, "model._cron_contract_renewal()")
        with freeze_time(AFTER):
            self.Contract._cron_contract_renewal()
        self.assertEqual(len(self.reminders(contract)), 1)

    def test_contract_of_another_team_is_not_shown_to_the_rep(self):
        theirs = self.in_force(date(2027, 1, 20), user=self.other_rep)
        with freeze_time(AFTER):
            self.run_cron()
        self.assertFalse(self.reminders(theirs))
        self.assertEqual(self.reminders(theirs, user=self.other_rep).user_id, self.other_rep)
