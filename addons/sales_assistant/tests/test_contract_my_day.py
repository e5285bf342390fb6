from datetime import timedelta

from odoo.tests import tagged

from .common import ContractCase
from .test_contract_renewal import in_force


@tagged("post_install", "-at_install")
class TestContractMyDay(ContractCase):
    """The contracts' section of "My day": contracts to renew and changes waiting for the
    salesperson, their team's for a team leader."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.contract_renewal_days = 30
        cls.mine = cls.contract(cls.rep, days=10)
        cls.mate_s = cls.contract(cls.mate, days=20)
        cls.other_s = cls.contract(cls.other_rep, days=5)
        cls.later = cls.contract(cls.rep, days=60)
        cls.ended = cls.contract(cls.rep, days=-1)  # ended: the cron expires it

    @classmethod
    def contract(cls, user, days, count=1):
        return in_force(cls.env, cls.customer, cls.today + timedelta(days=days), user, count)

    def section(self, user):
        day = self.env["sales.assistant.day"].with_user(user).get_my_day()
        return next(s for s in day["sections"] if s["name"] == "contracts")

    def shown(self, user):
        return {entry["id"]: entry for entry in self.section(user)["records"]}

    def test_rep_sees_own_contracts_to_renew(self):
        shown = self.shown(self.rep)
        self.assertEqual(set(shown), {self.mine.id})
        entry = shown[self.mine.id]
        self.assertEqual(entry["model"], "sales.contract")
        self.assertIn("To renew", entry["detail"])
        self.assertFalse(entry["late"])

    def test_leader_sees_the_teams_contracts(self):
        shown = self.shown(self.leader)
        self.assertEqual(set(shown), {self.mine.id, self.mate_s.id})
        self.assertEqual(shown[self.mate_s.id]["user"], self.mate.name)
        self.assertEqual(set(self.shown(self.other_rep)), {self.other_s.id})

    def test_renewed_contract_leaves_the_section(self):
        self.mine.with_user(self.rep).action_renew()
        self.assertNotIn(self.mine.id, self.shown(self.rep))

    def test_renewal_days_of_the_company_decide(self):
        self.company.contract_renewal_days = 5
        self.assertEqual(self.shown(self.rep), {})
        self.company.contract_renewal_days = 60
        self.assertEqual(set(self.shown(self.rep)), {self.mine.id, self.later.id})

    def test_pending_change_waits_for_the_rep(self):
        contract = self.signed_contract()
        change = self.env["sales.contract"].browse(
            contract.with_user(self.rep).action_new_version()["res_id"]
        )
        entry = self.shown(self.rep)[change.id]
        self.assertIn("Change to submit for review", entry["detail"])
        change.with_user(self.rep).write({"amount": 150000.0})
        change.with_user(self.rep).action_submit()  # no review rule on: approved at once
        self.assertEqual(change.state, "approved")
        self.assertIn("Change to sign", self.shown(self.rep)[change.id]["detail"])
        self.sign(change)
        self.assertNotIn(change.id, self.shown(self.rep))
        self.assertNotIn(change.id, self.shown(self.other_rep))

    def test_section_opens_the_full_list(self):
        self.contract(self.rep, days=15, count=7)
        section = self.section(self.rep)
        self.assertEqual(section["count"], 8)
        self.assertEqual(len(section["records"]), 5)
        listed = self.env["sales.contract"].with_user(self.rep).search(section["action"]["domain"])
        self.assertEqual(len(listed), 8)

    def test_query_count_does_not_grow_with_contracts(self):
        Day = self.env["sales.assistant.day"]

        def queries(user):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            Day.with_user(user).get_my_day()
            return self.cr.sql_log_count - before

        self.contract(self.rep, days=3, count=5)
        for user in (self.rep, self.leader):
            queries(user)  # warm the caches of rights and translations
        few = {user.login: queries(user) for user in (self.rep, self.leader)}
        self.contract(self.mate, days=3, count=50)
        self.contract(self.rep, days=3, count=20)
        many = {user.login: queries(user) for user in (self.rep, self.leader)}
        self.assertEqual(few, many)
        self.assertEqual(self.section(self.leader)["count"], 1 + 1 + 5 + 50 + 20)
