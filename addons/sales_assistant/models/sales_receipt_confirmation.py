from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class SalesReceiptConfirmation(models.Model):
    """The customer confirms the goods arrived: only then is the order complete."""

    _name = "sales.receipt.confirmation"
    _description = "Customer Receipt Confirmation"
    _order = "received_date desc, id desc"
    _rec_name = "order_id"

    order_id = fields.Many2one("sale.order", required=True, ondelete="restrict", index=True)
    partner_id = fields.Many2one(related="order_id.partner_id", store=True, string="Customer")
    user_id = fields.Many2one(related="order_id.user_id", store=True, string="Salesperson")
    team_id = fields.Many2one(related="order_id.team_id", store=True, string="Sales Team")
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    received_date = fields.Date(
        string="Received On", required=True, default=fields.Date.context_today
    )
    received_by = fields.Char(
        string="Signed By", required=True, help="The customer's contact who confirmed receipt."
    )
    note = fields.Text()
    recorded_by_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )

    _sql_constraints = [
        (
            "order_unique",
            "unique(order_id)",
            "The customer's receipt of this order is already confirmed.",
        ),
    ]

    @api.constrains("order_id", "received_date")
    def _check_order_delivered(self):
        today = fields.Date.context_today(self)
        for confirmation in self:
            order = confirmation.order_id
            if order.state != "sale" or order.delivery_status != "full":
                raise ValidationError(
                    self.env._(
                        "Order %(order)s is not fully delivered: the customer can only confirm "
                        "receipt after every delivery is done.",
                        order=order.name,
                    )
                )
            if confirmation.received_date > today:
                raise ValidationError(self.env._("The receipt date cannot be in the future."))
            last_delivery = max(
                (p.date_done.date() for p in order.picking_ids if p.state == "done"), default=None
            )
            if last_delivery and confirmation.received_date < last_delivery:
                raise ValidationError(
                    self.env._(
                        "The customer cannot have received order %(order)s on %(received)s, "
                        "before its last delivery on %(delivered)s.",
                        order=order.name,
                        received=confirmation.received_date,
                        delivered=last_delivery,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals["recorded_by_id"] = self.env.uid  # who recorded it is a fact, not an input
        confirmations = super().create(vals_list)
        for confirmation in confirmations:
            confirmation.order_id.message_post(
                body=self.env._(
                    "Customer receipt confirmed on %(date)s by %(contact)s.",
                    date=confirmation.received_date,
                    contact=confirmation.received_by,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return confirmations

    def write(self, vals):
        if "recorded_by_id" in vals and not self.env.su:
            raise UserError(self.env._("Who recorded a customer receipt cannot be changed."))
        return super().write(vals)
