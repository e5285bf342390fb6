from datetime import timedelta

from odoo import Command
from odoo.tests import tagged

from .common import deliver
from .test_contract_orders import ContractOrderCase

PERFORMANCE = [
    "order_count",
    "amount_ordered",
    "amount_delivered",
    "amount_invoiced",
    "amount_collected",
    "performance_progress",
    "amount_remaining",
]


@tagged("post_install", "-at_install")
class TestContractPerformance(ContractOrderCase):
    def invoice(self, order):
        move = order._create_invoices()
        move.action_post()
        return move

    def pay(self, move, amount=None):
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({"payment_date": self.today, **({"amount": amount} if amount else {})})
        )
        return wizard._create_payments()

    def figures(self, contract):
        contract.invalidate_recordset()
        return contract.with_user(self.rep).read(PERFORMANCE)[0]

    def test_performance_follows_orders_deliveries_invoices_and_payments(self):
        contract = self.signed_contract(amount=100000.0)
        self.assertEqual(self.figures(contract)["amount_ordered"], 0.0)
        delivered = self.order_under(contract, amount=1000.0, qty=10)
        self.order_under(contract, amount=1000.0, qty=5)
        self.order_under(contract, amount=999.0, qty=1, confirm=False)  # a quotation
        deliver(delivered)
        self.pay(self.invoice(delivered), amount=4000.0)
        figures = self.figures(contract)
        self.assertEqual(figures["order_count"], 3)
        self.assertEqual(figures["amount_ordered"], 15000.0)
        self.assertEqual(figures["amount_delivered"], 10000.0)
        self.assertEqual(figures["amount_invoiced"], 10000.0)
        self.assertEqual(figures["amount_collected"], 4000.0)
        self.assertEqual(figures["performance_progress"], 4.0)
        self.assertEqual(figures["amount_remaining"], 85000.0)

    def test_a_credit_note_reduces_what_was_invoiced(self):
        contract = self.signed_contract()
        order = self.order_under(contract, amount=1000.0, qty=2)
        move = self.invoice(order)
        refund = move._reverse_moves([{"invoice_date": self.today}])
        refund.action_post()
        self.assertEqual(self.figures(contract)["amount_invoiced"], 0.0)

    def test_a_partial_delivery_counts_its_delivered_quantity(self):
        contract = self.signed_contract()
        order = self.order_under(contract, amount=1000.0, qty=10)
        move = order.picking_ids.move_ids
        move.quantity = 4
        move.picked = True
        order.picking_ids.with_context(
            skip_backorder=True, picking_ids_not_to_backorder=order.picking_ids.ids
        ).button_validate()
        self.assertEqual(self.figures(contract)["amount_delivered"], 4000.0)

    def test_every_version_shows_the_performance_of_the_whole_contract(self):
        first = self.signed_contract(amount=20000.0)
        self.order_under(first, amount=5000.0)
        second = self.env["sales.contract"].browse(first.action_new_version()["res_id"])
        second.write({"amount": 40000.0})
        second.action_submit()
        self.sign(second)
        order = self.order_under(second, amount=3000.0)
        self.pay(self.invoice(order))
        for version in (first, second):
            figures = self.figures(version)
            self.assertEqual(figures["order_count"], 2)
            self.assertEqual(figures["amount_ordered"], 8000.0)
            self.assertEqual(figures["amount_collected"], 3000.0)
        self.assertEqual(self.figures(second)["performance_progress"], 7.5)
        self.assertEqual(self.figures(second)["amount_remaining"], 32000.0)

    def test_a_framework_agreement_has_its_ceiling_less_what_was_ordered_remaining(self):
        contract = self.signed_contract(contract_type="framework", amount=30000.0, ceiling=50000.0)
        self.order_under(contract, amount=12000.0)
        self.assertEqual(self.figures(contract)["amount_remaining"], 38000.0)

    def search_register(self, flag):
        return self.env["sales.contract"].with_user(self.desk).search([(flag, "=", True)])

    def test_expiring_lists_the_contracts_in_force_ending_within_30_days(self):
        soon = self.signed_contract(
            date_start=self.today - timedelta(days=300), date_end=self.today + timedelta(days=20)
        )
        later = self.signed_contract(date_end=self.today + timedelta(days=60))
        draft = self.make_contract(date_end=self.today + timedelta(days=5))
        found = self.search_register("is_expiring")
        self.assertIn(soon, found)
        self.assertNotIn(later, found)
        self.assertNotIn(draft, found)
        self.assertTrue(soon.is_expiring)
        self.assertFalse(later.is_expiring)
        not_found = (
            self.env["sales.contract"].with_user(self.desk).search([("is_expiring", "=", False)])
        )
        self.assertIn(later, not_found)
        self.assertNotIn(soon, not_found)

    def test_not_collected_lists_the_signed_contracts_not_fully_paid(self):
        paid = self.signed_contract(amount=3000.0)
        self.pay(self.invoice(self.order_under(paid, amount=3000.0)))
        partly = self.signed_contract(amount=3000.0)
        self.pay(self.invoice(self.order_under(partly, amount=3000.0)), amount=1000.0)
        draft = self.make_contract()
        found = self.search_register("is_not_collected")
        self.assertNotIn(paid, found)
        self.assertIn(partly, found)
        self.assertNotIn(draft, found)
        self.assertEqual(self.figures(paid)["performance_progress"], 100.0)
        self.assertFalse(paid.is_not_collected)
        self.assertTrue(partly.is_not_collected)

    def test_over_ceiling_lists_the_framework_agreements_ordered_beyond_it(self):
        over = self.signed_contract(contract_type="framework", amount=10000.0, ceiling=10000.0)
        self.order_under(over, amount=12000.0)
        within = self.signed_contract(contract_type="framework", amount=10000.0, ceiling=10000.0)
        self.order_under(within, amount=9000.0)
        found = self.search_register("is_over_ceiling")
        self.assertIn(over, found)
        self.assertNotIn(within, found)
        self.assertTrue(over.is_over_ceiling)
        self.assertFalse(within.is_over_ceiling)

    def test_the_register_filters_are_in_its_search_view(self):
        arch = self.env["sales.contract"].get_views([(False, "search")])["views"]["search"]["arch"]
        for name in ("expiring", "not_collected", "over_ceiling"):
            self.assertIn(f'name="{name}"', arch)


@tagged("post_install", "-at_install")
class TestContractPerformanceQueries(ContractOrderCase):
    """The register and the form read the performance in a constant number of queries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Contract = cls.env["sales.contract"]
        vals = {
            "partner_id": cls.customer.id,
            "user_id": cls.rep.id,
            "amount": 50000.0,
            "date_start": cls.today,
            "date_end": cls.today + timedelta(days=200),
        }
        cls.contracts = Contract.create([dict(vals) for _ in range(80)])
        cls.contracts._flow_write({"state": "signed", "date_signed": cls.today})
        orders = cls.env["sale.order"].create(
            [
                {
                    "partner_id": cls.customer.id,
                    "user_id": cls.rep.id,
                    "contract_id": contract.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_uom_qty": 1,
                                "price_unit": 100.0 * (index + 1),
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
                for index, contract in enumerate(cls.contracts)
                for _ in range(2 if index % 2 else 1)
            ]
        )
        orders.action_confirm()
        cls.big = cls.contracts[0]
        cls.env["sale.order"].create(
            [
                {
                    "partner_id": cls.customer.id,
                    "user_id": cls.rep.id,
                    "contract_id": cls.big.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "price_unit": 10.0,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
                for _ in range(49)
            ]
        ).action_confirm()

    def count_queries(self, function):
        self.env.invalidate_all()
        self.env.flush_all()
        before = self.cr.sql_log_count
        function()
        return self.cr.sql_log_count - before

    def read_register(self, contracts):
        spec = {key: {} for key in ["name", "partner_id", "amount", "state", *PERFORMANCE]}
        spec["partner_id"] = {"fields": {"display_name": {}}}
        return (
            self.env["sales.contract"]
            .with_user(self.desk)
            .web_search_read([("id", "in", contracts.ids)], spec)
        )

    def test_the_register_reads_its_performance_columns_in_constant_queries(self):
        self.read_register(self.contracts[:8])  # warm the caches of the registry
        few = self.count_queries(lambda: self.read_register(self.contracts[:8]))
        many = self.count_queries(lambda: self.read_register(self.contracts))
        self.assertEqual(many, few)
        with self.assertQueryCount(few):
            self.env.invalidate_all()
            self.read_register(self.contracts)
        result = self.read_register(self.contracts)
        self.assertEqual(result["length"], 80)
        big = next(r for r in result["records"] if r["id"] == self.big.id)
        self.assertEqual(big["order_count"], 50)
        self.assertEqual(big["amount_ordered"], 100.0 + 49 * 10.0)

    def read_form(self, contract):
        """What the web client reads to show the contract's form: every field of the view."""
        Contract = self.env["sales.contract"].with_user(self.desk)
        fields = Contract.get_views([(False, "form")])["models"]["sales.contract"]["fields"]
        self.assertTrue(set(PERFORMANCE) <= set(fields))
        return contract.with_user(self.desk).web_read({name: {} for name in fields})

    def test_the_form_of_a_contract_with_50_orders_reads_in_constant_queries(self):
        small = self.contracts[2]
        self.count_queries(lambda: self.read_form(small))  # warm the caches of the registry
        one_order = self.count_queries(lambda: self.read_form(small))
        fifty_orders = self.count_queries(lambda: self.read_form(self.big))
        self.assertEqual(fifty_orders, one_order)
        with self.assertQueryCount(one_order):
            self.env.invalidate_all()
            self.read_form(self.big)
