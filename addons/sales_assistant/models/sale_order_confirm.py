from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.sales_compliance.models.sales_compliance_mixin import WARNINGS_SEEN
from odoo.exceptions import UserError

# Context value of the split's own copy: only Python code passes this object, so no client
# can link a quotation to an order it was not split from
SPLIT_LINK = object()


class SaleOrder(models.Model):
    _inherit = "sale.order"

    assistant_confirm_guide = fields.Boolean(related="company_id.assistant_confirm_guide")
    assistant_split_from_id = fields.Many2one(
        "sale.order",
        string="Split From",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The order confirmed with the lines available: this quotation holds the lines "
        "that were not.",
    )
    assistant_split_ids = fields.One2many(
        "sale.order",
        "assistant_split_from_id",
        string="Split Quotations",
        help="Quotations holding the lines that were not available when this order was confirmed.",
    )
    assistant_split_count = fields.Integer(
        string="Split Quotations Count", compute="_compute_assistant_split_count"
    )

    @api.depends("assistant_split_ids")
    def _compute_assistant_split_count(self):
        for order in self:
            order.assistant_split_count = len(order.assistant_split_ids)

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("assistant_split_from_id") for vals in vals_list):
            self._assistant_check_split_link()
        return super().create(vals_list)

    def write(self, vals):
        if "assistant_split_from_id" in vals:
            self._assistant_check_split_link()
        return super().write(vals)

    @api.model
    def _assistant_check_split_link(self):
        if self.env.context.get("assistant_split_link") is not SPLIT_LINK:
            raise UserError(
                self.env._("Only moving lines to a new quotation links it to its order.")
            )

    # ------------------------------------------------------------------
    # Guided confirmation
    # ------------------------------------------------------------------
    def action_confirm_guided(self):
        """The web client's Confirm button: open the guided confirmation screen.

        The screen only shows and offers; confirming from it calls ``action_confirm``, whose
        compliance gate is unchanged (RPC, portal signature and online payment call
        ``action_confirm`` directly). Without the screen (setting off, several orders, an
        order no longer a quotation), the button confirms as before.
        """
        if (
            len(self) != 1
            or self.state not in ("draft", "sent")
            or not self.company_id.assistant_confirm_guide
        ):
            return self.action_confirm()
        return self.env["sales.confirm.guide"]._open_for(self)

    def _assistant_confirm(self):
        """Confirm from the guided screen through the compliance gate, as code does: a
        failing rule refuses (its violation is kept) and nothing else changes. The screen
        showed the warnings: they are logged without counting another attempt."""
        return self.with_context(
            compliance_dialog=False,
            compliance_warnings_seen=WARNINGS_SEEN,
            validate_analytic=True,
        ).action_confirm()

    def _assistant_split_unavailable(self):
        """Move the lines not available into a new quotation linked to this one.

        Lines follow the line they belong to (optional products, combo items). The
        quotation keeps the customer, terms and salesperson. Returns the new quotation.
        """
        self.ensure_one()
        if self.state not in ("draft", "sent"):
            raise UserError(
                self.env._(
                    "Order %s is already confirmed: its lines cannot be moved to a new "
                    "quotation any more.",
                    self.name,
                )
            )
        self.check_access("write")
        availability = self.order_line._assistant_availability()
        moving = self.order_line.filtered(lambda line: not availability[line.id]["available"])
        if not moving:
            raise UserError(
                self.env._("Every line of %s is available: there is nothing to move.", self.name)
            )
        moving |= self.order_line.filtered(lambda line: line.linked_line_id in moving)
        products = self.order_line.filtered(
            lambda line: not line.display_type and not line.is_downpayment
        )
        if not products - moving:
            raise UserError(
                self.env._(
                    "No line of %s is available: confirm it as a whole or wait for the goods.",
                    self.name,
                )
            )
        split = self.with_context(assistant_split_link=SPLIT_LINK).copy(
            {"order_line": [], "assistant_split_from_id": self.id, "origin": self.name}
        )
        split = split.with_context(assistant_split_link=None)
        moving.write({"order_id": split.id})
        # both orders changed their lines: approvals of the old values no longer count
        (self | split)._compliance_void_stale_approvals()
        self.message_post(
            body=Markup(
                self.env._("%(count)s line(s) not available moved to quotation %(quotation)s.")
            )
            % {"count": len(moving), "quotation": split._get_html_link()},
            subtype_xmlid="mail.mt_note",
        )
        split.message_post(
            body=Markup(self.env._("Lines not available when %(order)s was confirmed."))
            % {"order": self._get_html_link()},
            subtype_xmlid="mail.mt_note",
        )
        return split

    def _assistant_deposit_asked(self):
        """{order id: (deposit asked, where it comes from)} in the order's currency.

        The deposit (预付款) is what the payment terms ask immediately when they also leave a
        balance for later ("terms"; a term paid wholly at once is cash, not a deposit), else
        the prepayment Odoo asks of an order paid online in part ("prepayment"), else
        nothing (False).
        """
        result = {}
        for order in self:
            term_lines = order.payment_term_id.line_ids
            now = term_lines.filtered(lambda t: t.nb_days == 0 and t.delay_type == "days_after")
            asked, source = 0.0, False
            if now and now != term_lines:
                for term in now:
                    if term.value == "percent":
                        asked += order.amount_total * term.value_amount / 100.0
                    else:  # fixed: in the document's currency, as account computes terms
                        asked += term.value_amount
                asked, source = min(order.currency_id.round(asked), order.amount_total), "terms"
            elif order.require_payment and order.prepayment_percent < 1.0:
                asked = order.currency_id.round(order.amount_total * order.prepayment_percent)
                source = "prepayment"
            result[order.id] = (asked, source)
        return result

    def _assistant_deposit(self):
        """{order id: (deposit asked, deposit received)} in the order's currency.

        Asked: see ``_assistant_deposit_asked``. Received is what was paid on the posted
        down-payment invoices of the order, refunds deducted. The one home of both figures:
        the guided confirmation shows them, the "deposit received" compliance check refuses
        on them and the collection plan starts with the deposit. Constant number of queries.
        """
        result = {}
        invoice_lines = self.order_line.filtered("is_downpayment").invoice_lines.filtered(
            lambda aml: (
                aml.parent_state == "posted"
                and aml.move_id.move_type in ("out_invoice", "out_refund")
            )
        )
        received = dict.fromkeys(self.ids, 0.0)
        for aml in invoice_lines:
            move = aml.move_id
            paid_ratio = 1 - move.amount_residual / move.amount_total if move.amount_total else 0.0
            sign = -1 if move.move_type == "out_refund" else 1
            amount = sign * paid_ratio * abs(aml.price_total)
            for order in aml.sale_line_ids.order_id & self:
                received[order.id] += move.currency_id._convert(
                    amount, order.currency_id, order.company_id, order.date_order, round=False
                )
        asked = self._assistant_deposit_asked()
        for order in self:
            result[order.id] = (asked[order.id][0], order.currency_id.round(received[order.id]))
        return result

    def action_view_assistant_split(self):
        """Open the orders linked by a split: the quotation(s) it created and its origin."""
        self.ensure_one()
        orders = self.assistant_split_ids | self.assistant_split_from_id
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_quotations")
        if len(orders) == 1:
            action.update(views=[(False, "form")], res_id=orders.id)
        else:
            action["domain"] = [("id", "in", orders.ids)]
        action["context"] = {}
        return action
