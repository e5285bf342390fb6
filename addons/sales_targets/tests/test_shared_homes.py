from datetime import date, datetime

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from ..tools.invoice_orders import order_parts_of_moves
from .common import FEB, JAN, CommissionCase, TargetsCase


@tagged("post_install", "-at_install")
class TestSharedHomes(TargetsCase):
    """The one home in sales_targets of each concept the addons share (issue 18)."""

    def _shares(self, document):
        return {(s.user_id, s.share, s.is_overlay) for s in document.credit_share_ids}

    def test_a_hand_over_moves_the_credit_to_the_successor_and_merges_it_with_theirs(self):
        Share = self.env["sales.credit.share"]
        with_other = self.make_order(
            self.rep_a,
            confirm=False,
            shares=self.split((self.rep_a, 60), (self.rep_b, 40)),
        )
        with_successor = self.make_order(
            self.rep_a,
            confirm=False,
            shares=self.split((self.rep_a, 70), (self.rep_c, 30)),
        )
        unsplit = self.make_order(self.rep_a, confirm=False)
        lead = self.env["crm.lead"].create(
            {
                "name": "Shared deal",
                "type": "opportunity",
                "user_id": self.rep_a.id,
                "credit_share_ids": self.split((self.rep_a, 100)),
            }
        )
        orders = with_other | with_successor | unsplit
        Share._hand_over(orders, self.rep_a, self.rep_c)
        Share._hand_over(lead, self.rep_a, self.rep_c)
        self.assertEqual(
            self._shares(with_other), {(self.rep_c, 60, False), (self.rep_b, 40, False)}
        )
        self.assertEqual(self._shares(with_successor), {(self.rep_c, 100, False)})
        self.assertFalse(unsplit.credit_share_ids)
        self.assertEqual(self._shares(lead), {(self.rep_c, 100, False)})

    def test_a_hand_over_without_successor_moves_no_credit(self):
        order = self.make_order(
            self.rep_a,
            confirm=False,
            shares=self.split((self.rep_a, 100)),
        )
        self.env["sales.credit.share"]._hand_over(order, self.rep_a, self.env["res.users"])
        self.assertEqual(self._shares(order), {(self.rep_a, 100, False)})

    def test_orders_without_a_split_keep_their_credit_with_their_salesperson(self):
        unsplit = self.make_order(self.rep_a)
        split = self.make_order(
            self.rep_a,
            shares=self.split((self.rep_a, 50), (self.rep_b, 50)),
        )
        self.env["sales.credit.share"]._keep_with_salesperson(unsplit | split)
        self.assertEqual(self._shares(unsplit), {(self.rep_a, 100, False)})
        self.assertEqual(self._shares(split), {(self.rep_a, 50, False), (self.rep_b, 50, False)})

    def test_the_visits_of_a_rep_count_for_their_team_in_the_company_they_visit_for(self):
        self.env["ir.config_parameter"].set_param("sales_team.membership_multi", True)
        company_b = self.env["res.company"].create(
            {"name": "Visits Branch", "currency_id": self.company.currency_id.id}
        )
        team_b = self.env["crm.team"].create({"name": "Branch", "company_id": company_b.id})
        seller = self.rep_c.copy(
            {
                "login": "tgt_visit_seller",
                "company_id": company_b.id,
                "company_ids": [Command.set((self.company | company_b).ids)],
            }
        )
        # joined the branch first (Odoo's main team), then Team East of this company
        self.env["crm.team.member"].create({"crm_team_id": team_b.id, "user_id": seller.id})
        seller.company_id = self.company
        self.env["crm.team.member"].create({"crm_team_id": self.team_1.id, "user_id": seller.id})
        self.assertEqual(seller.sale_team_id, team_b)
        self.assertEqual(seller._sales_team(self.company), self.team_1)
        visit_type = self.env.ref("sales_targets.mail_activity_type_visit")
        activity = self.env["mail.activity"].create(
            {
                "activity_type_id": visit_type.id,
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": self.customer.id,
                "user_id": seller.id,
                "date_deadline": date(2025, 1, 14),
            }
        )
        activity.action_done()
        self.env["mail.activity"].with_context(active_test=False).search(
            [("activity_type_id", "=", visit_type.id), ("user_id", "=", seller.id)]
        ).write({"date_done": date(2025, 1, 14)})
        facts = self.metric_visits.sudo()._fetch_facts(
            date(2025, 1, 1), date(2025, 1, 31), self.company, user_ids=seller.ids
        )
        self.assertEqual([(fact[1], fact[5]) for fact in facts], [(self.team_1.id, 1.0)])


@tagged("post_install", "-at_install")
class TestSharedHomesInvoiceOrders(CommissionCase):
    """Which order an invoice belongs to: pro rata (``tools/invoice_orders.py``)."""

    def test_an_invoice_of_two_orders_belongs_to_each_order_by_the_part_of_its_lines(self):
        small = self.make_order(self.rep_a, 1000, confirm=False)
        large = self.make_order(self.rep_a, 3000, confirm=False)
        (small | large).action_confirm()
        invoice = (small | large)._create_invoices()
        invoice.invoice_line_ids = [
            Command.create({"name": "Freight", "price_unit": 1000, "tax_ids": [Command.clear()]})
        ]
        invoice.action_post()
        self.env.flush_all()
        parts_sql = order_parts_of_moves(SQL("aml.move_id = %s", invoice.id))
        self.env.cr.execute(SQL("SELECT order_id, part, weight FROM (%s) p", parts_sql))
        parts = {order_id: (part, weight) for order_id, part, weight in self.env.cr.fetchall()}
        self.assertEqual(set(parts), {small.id, large.id}, "the freight line is of no order")
        self.assertAlmostEqual(float(parts[small.id][0]), 1000)
        self.assertAlmostEqual(float(parts[small.id][1]), 0.2)
        self.assertAlmostEqual(float(parts[large.id][1]), 0.6)

    def test_a_refund_of_a_shared_invoice_takes_back_the_commission_of_the_order_it_refunds(self):
        first = self.make_order(self.rep_a, 10000, datetime(2025, 1, 10, 9), confirm=False)
        second = self.make_order(self.rep_a, 20000, datetime(2025, 1, 10, 9), confirm=False)
        (first | second).action_confirm()
        (first | second).date_order = datetime(2025, 1, 10, 9)
        invoice = (first | second)._create_invoices()
        invoice.invoice_date = date(2025, 1, 15)
        invoice.action_post()
        jan = self.statement(JAN)
        commission = {
            line.res_id: line.amount
            for line in jan.line_ids.filtered(lambda line: line.res_model == "sale.order")
        }
        self.assertEqual(set(commission), {first.id, second.id})
        jan.with_user(self.manager).action_confirm()
        refund = invoice._reverse_moves([{"invoice_date": date(2025, 1, 25)}])
        for line in refund.invoice_line_ids:
            # 15,000 of the second order refunded, nothing of the first
            line.price_unit = 15000 if line.sale_line_ids.order_id == second else 0
        refund.action_post()
        clawback = self.statement(FEB).line_ids.filtered(lambda line: line.line_type == "clawback")
        self.assertAlmostEqual(sum(clawback.mapped("amount")), -commission[second.id] * 0.75)
