from datetime import datetime

import pytz

from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.actions import form_action


class SaleOrder(models.Model):
    """Collection plans of confirmed orders (its own file, apart from the receipt follow-up)."""

    _inherit = "sale.order"

    collection_plan_ids = fields.One2many("sales.collection.plan", "order_id")
    collection_plan_state = fields.Selection(
        related="collection_plan_ids.state", string="Collection"
    )

    def _action_confirm(self):
        result = super()._action_confirm()
        self._collection_create_plans()
        return result

    def _action_cancel(self):
        """A cancelled order is no longer collected: its plan goes unless something was paid
        (then it stays as the record of it, and no reminder is sent for a cancelled order)."""
        result = super()._action_cancel()
        self.collection_plan_ids.sudo().filtered(lambda p: not p.is_locked).unlink()
        return result

    def _collection_date_ref(self, tz=None):
        """The order's day in its company's timezone (``tz`` when known): terms count from it."""
        self.ensure_one()
        tz = pytz.timezone(tz or self.company_id._sales_tz())
        moment = self.date_order or fields.Datetime.now()
        return (
            pytz.utc.localize(moment).astimezone(tz).date()
            if isinstance(moment, datetime)
            else moment
        )

    def _collection_installment_vals(self, tz=None):
        """Installments from the deposit and the payment terms, adding up to the total."""
        self.ensure_one()
        currency, company = self.currency_id, self.company_id
        date_ref = self._collection_date_ref(tz)
        deposit, source = self._assistant_deposit_asked()[self.id]
        # a deposit of the terms is their first part; a prepayment comes before the terms
        prepaid = deposit if source == "prepayment" else 0.0
        rest = currency.round(self.amount_total - prepaid)
        by_date = {}
        if prepaid > 0:
            by_date[date_ref] = {"amount": prepaid, "is_deposit": True}
        if rest > 0:
            if self.payment_term_id:
                rest_company = currency._convert(rest, company.currency_id, company, date_ref)
                terms = self.payment_term_id._compute_terms(
                    date_ref, currency, company, 0.0, 0.0, 1, rest_company, rest
                )
                parts = [(line["date"], line["foreign_amount"]) for line in terms["line_ids"]]
            else:
                parts = [(date_ref, rest)]
            for day, amount in parts:
                vals = by_date.setdefault(day, {"amount": 0.0})
                vals["amount"] = currency.round(vals["amount"] + amount)
            if source == "terms" and date_ref in by_date:
                by_date[date_ref]["is_deposit"] = True
        return [
            {"sequence": sequence, "date_due": day, "method": "bank_transfer", **vals}
            for sequence, (day, vals) in enumerate(sorted(by_date.items()), start=1)
            if vals["amount"] > 0
        ]

    def _collection_create_plans(self):
        """A collection plan for each confirmed order that has none (and a total to collect)."""
        orders = self.filtered(
            lambda o: o.state == "sale" and not o.collection_plan_ids and o.amount_total > 0
        )
        if not orders:
            return self.env["sales.collection.plan"]
        tz = {company.id: company._sales_tz() for company in orders.company_id}
        plans = (
            self.env["sales.collection.plan"]
            .sudo()
            .create(
                [
                    {
                        "order_id": order.id,
                        "installment_ids": [
                            fields.Command.create(vals)
                            for vals in order._collection_installment_vals(tz[order.company_id.id])
                        ],
                    }
                    for order in orders
                ]
            )
        )
        return plans

    def action_view_collection_plan(self):
        self.ensure_one()
        plan = self.collection_plan_ids[:1]
        return form_action("sales.collection.plan", plan.id, name=self.env._("Collection Plan"))

    @api.model
    def _collection_plans_of_moves(self, moves):
        """The collection plans of the orders these invoices and credit notes come from."""
        moves = moves.sudo().filtered(lambda m: m.move_type in ("out_invoice", "out_refund"))
        return moves.line_ids.sale_line_ids.order_id.collection_plan_ids
