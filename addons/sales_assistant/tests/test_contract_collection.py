from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_contract_orders import ContractOrderCase


@tagged("post_install", "-at_install")
class TestContractCollection(ContractOrderCase):
    def scheduled_contract(self, installments, **values):
        """A signed contract whose payment schedule is ``installments`` [(days from today,
        percent, deposit)]."""
        return self.signed_contract(
            schedule_ids=[
                Command.create(
                    {
                        "date_due": self.today + timedelta(days=days),
                        "kind": "percent",
                        "value": percent,
                        "is_deposit": deposit,
                    }
                )
                for days, percent, deposit in installments
            ],
            payment_term_id=self.term.id,
            **values,
        )

    def installments(self, order):
        return [
            (i.date_due, i.amount, i.is_deposit)
            for i in order.collection_plan_ids.installment_ids.sorted("date_due")
        ]

    def test_an_order_takes_its_installments_from_the_contracts_schedule(self):
        contract = self.scheduled_contract([(0, 30, True), (60, 70, False)])
        order = self.order_under(contract, amount=10000.0)
        self.assertEqual(
            self.installments(order),
            [(self.today, 3000.0, True), (self.today + timedelta(days=60), 7000.0, False)],
        )

    def test_an_installment_due_before_the_order_falls_due_on_the_order_date(self):
        contract = self.scheduled_contract(
            [(-30, 20, True), (0, 30, False), (30, 50, False)],
            date_start=self.today - timedelta(days=60),
        )
        order = self.order_under(contract, amount=1000.0)
        self.assertEqual(
            self.installments(order),
            [(self.today, 500.0, True), (self.today + timedelta(days=30), 500.0, False)],
        )

    def test_the_rounding_remainder_goes_to_the_last_installment(self):
        contract = self.scheduled_contract(
            [(0, 33.33, False), (30, 33.33, False), (60, 33.34, False)]
        )
        order = self.order_under(contract, amount=100.01)
        amounts = [amount for __, amount, __ in self.installments(order)]
        self.assertEqual(amounts, [33.33, 33.33, 33.35])
        self.assertAlmostEqual(sum(amounts), order.amount_total)

    def test_without_a_schedule_the_order_follows_its_payment_terms(self):
        contract = self.signed_contract(payment_term_id=self.term.id)
        order = self.order_under(contract, amount=1000.0)
        order.payment_term_id = self.term
        order.collection_plan_ids.action_regenerate()
        self.assertEqual(
            self.installments(order), [(self.today + timedelta(days=45), 1000.0, False)]
        )

    def test_the_collection_button_lists_the_installments_of_the_contracts_orders(self):
        contract = self.scheduled_contract([(0, 50, True), (30, 50, False)])
        first = self.order_under(contract, amount=1000.0)
        second = self.order_under(contract, amount=3000.0)
        self.order_under(self.signed_contract(), amount=500.0)  # another contract's
        action = contract.with_user(self.rep).action_view_collection()
        installments = (
            self.env["sales.collection.installment"].with_user(self.rep).search(action["domain"])
        )
        self.assertEqual(installments.order_id, first | second)
        self.assertEqual(sum(installments.mapped("amount")), 4000.0)

    def test_a_rep_of_another_team_cannot_list_the_contracts_orders_or_collection(self):
        contract = self.scheduled_contract([(0, 100, True)])
        self.order_under(contract)
        for method in ("action_view_orders", "action_view_collection"):
            with self.subTest(method=method), self.assertRefused(AccessError, "sales.contract"):
                getattr(contract.with_user(self.other_rep), method)()

    def test_the_collection_analyses_group_by_contract(self):
        contract = self.scheduled_contract(
            [(-10, 40, True), (30, 60, False)], date_start=self.today - timedelta(days=20)
        )
        other = self.signed_contract()
        order = self.order_under(contract, amount=1000.0)
        self.order_under(other, amount=500.0)
        self.env.flush_all()
        overdue = self.env["sales.collection.overdue.report"].with_user(self.desk)
        groups = dict(
            overdue._read_group(
                [("contract_id", "in", (contract | other).ids)], ["contract_id"], ["amount:sum"]
            )
        )
        self.assertEqual(groups[contract], order.amount_total)
        self.assertEqual(groups[other], 500.0)
        rate = self.env["sales.collection.rate.report"].with_user(self.desk)
        groups = dict(
            rate._read_group(
                [("contract_id", "=", contract.id)], ["contract_id"], ["amount_due:sum"]
            )
        )
        self.assertEqual(groups[contract], order.amount_total)
        for model in ("sales.collection.overdue.report", "sales.collection.rate.report"):
            arch = self.env[model].get_views([(False, "search")])["views"]["search"]["arch"]
            self.assertIn('name="group_contract"', arch)

    def test_a_payment_of_the_contracts_order_counts_for_the_contract_in_the_rate(self):
        contract = self.signed_contract()
        order = self.order_under(contract, amount=800.0)
        move = order._create_invoices()
        move.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create({"payment_date": self.today})._create_payments()
        self.env.flush_all()
        rate = self.env["sales.collection.rate.report"].with_user(self.desk)
        groups = dict(
            rate._read_group(
                [("contract_id", "=", contract.id)], ["contract_id"], ["amount_collected:sum"]
            )
        )
        self.assertAlmostEqual(groups[contract], 800.0)
