from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.tests import tagged
from odoo.tools import date_utils

from .common import ContractCase


@tagged("post_install", "-at_install")
class TestContractTargetMetric(ContractCase):
    """The "signed contract value" (合同额) target metric: each signed version counts once, in
    the month it is signed, for what it adds to the contract."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.this_month = date_utils.start_of(cls.today, "month")
        cls.last_month = cls.this_month - relativedelta(months=1)
        cls.metric = cls.env["sales.target.metric"].create(
            {"name": "Signed Contract Value", "metric_type": "contract_value"}
        )
        cls.plan = cls.env["sales.target.plan"].create(
            {
                "name": "Contracts",
                "date_from": cls.last_month,
                "date_to": date_utils.end_of(cls.today, "month"),
                "metric_ids": [Command.set(cls.metric.ids)],
            }
        )
        cls.contract = cls.make_contract(amount=100000.0, date_start=cls.last_month)
        cls.contract.action_submit()
        cls.sign(cls.contract, date_signed=cls.last_month + relativedelta(days=9))
        theirs = cls.make_contract(cls.other_rep, amount=70000.0, date_start=cls.last_month)
        theirs.action_submit()
        cls.sign(theirs, date_signed=cls.last_month + relativedelta(days=3))

    def target(self, start, end=None, **values):
        return self.env["sales.target"].create(
            {
                "plan_id": self.plan.id,
                "metric_id": self.metric.id,
                "assignee_type": "user",
                "user_id": self.rep.id,
                "date_from": start,
                "date_to": end or date_utils.end_of(start, "month"),
                "target_value": 100000.0,
                **values,
            }
        )

    def refresh(self, *targets):
        for target in targets:
            if target.assignee_type == "user":
                target.with_user(target.user_id).action_refresh_achievement()
            else:
                self.plan._recompute_achievements(today=self.today)

    def change(self, kind="change", amount=None):
        """Sign a change (or a termination) of the rep's contract today."""
        action = (
            self.contract.action_new_version()
            if kind == "change"
            else self.contract.action_terminate()
        )
        version = self.env["sales.contract"].browse(action["res_id"]).with_user(self.rep)
        if amount:
            version.write({"amount": amount})
        version.action_submit()
        self.sign(version, date_signed=self.today)
        return version

    def test_rep_gets_the_contract_value_in_the_month_it_is_signed(self):
        last, this = self.target(self.last_month), self.target(self.this_month)
        self.refresh(last, this)
        self.assertEqual(last.actual, 100000.0)
        self.assertEqual(this.actual, 0.0)

    def test_change_adds_its_difference_in_the_month_it_is_signed(self):
        self.contract = self.contract.with_user(self.rep)
        self.change(amount=120000.0)
        last, this = self.target(self.last_month), self.target(self.this_month)
        both = self.target(self.last_month, date_utils.end_of(self.today, "month"))
        self.refresh(last, this, both)
        self.assertEqual(last.actual, 100000.0)
        self.assertEqual(this.actual, 20000.0)
        self.assertEqual(both.actual, 120000.0, "the contract's total is its amount in force")

    def test_termination_counts_nothing(self):
        self.contract = self.contract.with_user(self.rep)
        self.change("termination")
        this = self.target(self.this_month)
        self.refresh(this)
        self.assertEqual(this.actual, 0.0)

    def test_another_reps_contract_does_not_count(self):
        mine = self.target(self.last_month)
        theirs = self.target(self.last_month, user_id=self.other_rep.id)
        team = self.target(
            self.last_month, assignee_type="team", user_id=False, team_id=self.team.id
        )
        self.refresh(mine, theirs, team)
        self.assertEqual(mine.actual, 100000.0)
        self.assertEqual(theirs.actual, 70000.0)
        self.assertEqual(team.actual, 100000.0, "the other rep is of another team")

    def test_facts_are_one_grouped_query_credited_to_the_salesperson_and_team(self):
        self.env.flush_all()
        with self.assertQueryCount(2):  # the metric's record, then one grouped query
            facts = self.metric.sudo()._fetch_facts(
                self.last_month, self.today, self.company, user_ids=self.rep.ids
            )
        self.assertEqual(
            [(f[0], f[1], f[5]) for f in facts], [(self.rep.id, self.team.id, 100000.0)]
        )
