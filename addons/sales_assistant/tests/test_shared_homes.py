from collections import defaultdict
from datetime import timedelta

from odoo import Command
from odoo.tests import tagged

from .common import ClosingCase, CollectionCase


@tagged("post_install", "-at_install")
class TestSharedHomesReactivation(ClosingCase):
    """The assistant uses the one home of what the addons share (issue 18)."""

    def test_reactivation_violations_are_kept_under_stage_when_the_trigger_goes_away(self):
        self.env["res.config.settings"].create({"sales_reactivation_approval": True}).execute()
        self.rep.sale_team_id = self.team
        lead = self._lead(team_id=self.team.id)
        self._suspend(lead)
        lead.action_sales_reactivate()
        Violation = self.env["sales.compliance.violation"]
        violations = Violation.sudo().search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]
        )
        self.assertEqual(set(violations.mapped("trigger")), {"reactivate"})
        # what the registry runs when sales_assistant is uninstalled
        Violation._fields["trigger"].ondelete["reactivate"](violations)
        self.assertEqual(set(violations.mapped("trigger")), {"stage"})
        self.assertEqual(
            Violation.sudo().search([("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]),
            violations,
        )


@tagged("post_install", "-at_install")
class TestSharedHomesInvoiceOfTwoOrders(CollectionCase):
    """An invoice of two orders belongs to both, pro rata (sales_targets'
    ``tools/invoice_orders.py``): targets and the assistant split it alike."""

    def _collected_by_metric(self, metric_xmlid):
        metric = self.env.ref(metric_xmlid).sudo()
        totals = defaultdict(float)
        start = self.today - timedelta(days=40)
        for fact in metric._fetch_facts(start, self.today, self.company):
            totals[fact[0]] += fact[5]
        return totals

    def test_targets_collected_cash_and_the_assistant_collected_amount_agree_on_a_shared_invoice(
        self,
    ):
        mine = self.make_order(
            amount=1000,
            credit_share_ids=[Command.create({"user_id": self.rep.id, "share": 100})],
        )
        theirs = self.make_order(
            user=self.other_rep,
            amount=3000,
            credit_share_ids=[Command.create({"user_id": self.other_rep.id, "share": 100})],
        )
        invoice = (mine | theirs)._create_invoices()
        # dated on the company's day, whatever the hour and the test user's time zone
        invoice.invoice_date = self.today
        invoice.action_post()
        self.assertEqual(len(invoice), 1)
        self.pay(invoice, amount=2000)
        self.run_cron()

        paid = {
            order.user_id.id: sum(order.collection_plan_ids.mapped("amount_paid"))
            for order in mine | theirs
        }
        self.assertAlmostEqual(paid[self.rep.id], 500)
        self.assertAlmostEqual(paid[self.other_rep.id], 1500)
        collected = self._collected_by_metric("sales_targets.metric_collected")
        self.assertAlmostEqual(collected[self.rep.id], paid[self.rep.id])
        self.assertAlmostEqual(collected[self.other_rep.id], paid[self.other_rep.id])
        invoiced = self._collected_by_metric("sales_targets.metric_invoiced")
        self.assertAlmostEqual(invoiced[self.rep.id], 1000)
        self.assertAlmostEqual(invoiced[self.other_rep.id], 3000)

        Rate = self.env["sales.collection.rate.report"]
        [(rate_collected,)] = Rate._read_group(
            [("user_id", "=", self.other_rep.id)], [], ["amount_collected:sum"]
        )
        self.assertAlmostEqual(rate_collected, 1500)

    def test_the_part_of_an_invoice_from_no_order_with_shares_goes_to_its_salesperson(self):
        split = self.make_order(
            amount=1000,
            credit_share_ids=[
                Command.create({"user_id": self.rep.id, "share": 50}),
                Command.create({"user_id": self.leader.id, "share": 50}),
            ],
        )
        unsplit = self.make_order(amount=1000)
        invoice = (split | unsplit)._create_invoices()
        invoice.invoice_date = self.today
        invoice.action_post()
        invoice.invoice_user_id = self.rep
        invoiced = self._collected_by_metric("sales_targets.metric_invoiced")
        self.assertAlmostEqual(invoiced[self.leader.id], 500)
        self.assertAlmostEqual(invoiced[self.rep.id], 1500)
        self.assertAlmostEqual(sum(invoiced.values()), 2000)
