from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

PORTAL_FIELDS = {"portal_ip", "portal_user_agent"}
# what the customer enters on the portal: theirs, never rewritten by staff
CUSTOMER_FIELDS = {"received_by", "received_date", "delivery_note", "delivery_note_filename"}


class SalesCustomerReceipt(models.Model):
    """The customer confirms the goods arrived (客户签收): only then is the order complete.

    Recorded by the salesperson or the sales desk in the back office, or by the customer on
    the portal (``sale.order._receipt_confirm_from_portal``); both paths create this record,
    with the same fields and the same checks."""

    _name = "sales.customer.receipt"
    _description = "Customer Receipt"
    _order = "received_date desc, id desc"
    _rec_name = "order_id"

    order_id = fields.Many2one("sale.order", required=True, ondelete="restrict", index=True)
    partner_id = fields.Many2one(related="order_id.partner_id", store=True, string="Customer")
    user_id = fields.Many2one(related="order_id.user_id", store=True, string="Salesperson")
    team_id = fields.Many2one(related="order_id.team_id", store=True, string="Sales Team")
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    received_date = fields.Date(
        string="Received On",
        required=True,
        # the day proposed to whoever records it, in their timezone as on the portal
        default=lambda self: self.env.user._sales_person_today(),
    )
    received_by = fields.Char(
        string="Signed By", required=True, help="The customer's contact who confirmed receipt."
    )
    note = fields.Text()
    delivery_note = fields.Binary(
        string="Signed Delivery Note",
        attachment=True,
        help="A photo or scan of the delivery note the customer signed.",
    )
    delivery_note_filename = fields.Char()
    recorded_by_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    # where a confirmation on the portal came from: set by the portal path alone
    portal_ip = fields.Char(string="IP Address", readonly=True)
    portal_user_agent = fields.Char(string="Browser", readonly=True)
    channel = fields.Selection(
        [("staff", "Recorded by Sales"), ("portal", "Confirmed by the Customer")],
        string="Confirmed By",
        compute="_compute_channel",
        store=True,
        help="Who confirmed: the customer on the portal, or a salesperson or the sales desk "
        "for the customer.",
    )

    _sql_constraints = [
        (
            "order_unique",
            "unique(order_id)",
            "The customer's receipt of this order is already confirmed.",
        ),
    ]

    @api.depends("recorded_by_id")
    def _compute_channel(self):
        # derived from who recorded it (a fact), never from what the client sends
        for receipt in self:
            receipt.channel = "portal" if receipt.recorded_by_id.share else "staff"

    @api.constrains("order_id", "received_date")
    def _check_order_delivered(self):
        for receipt in self:
            order = receipt.order_id
            if order.state != "sale" or order.delivery_status != "full":
                raise ValidationError(
                    self.env._(
                        "Order %(order)s is not fully delivered: the customer can only confirm "
                        "receipt after every delivery is done.",
                        order=order.name,
                    )
                )
            if receipt.received_date > order._receipt_today():
                raise ValidationError(self.env._("The receipt date cannot be in the future."))
            last_delivery = order._receipt_last_delivery_date()
            if last_delivery and receipt.received_date < last_delivery:
                raise ValidationError(
                    self.env._(
                        "The customer cannot have received order %(order)s on %(received)s, "
                        "before its last delivery on %(delivered)s.",
                        order=order.name,
                        received=receipt.received_date,
                        delivered=last_delivery,
                    )
                )

    def _check_not_yet_confirmed(self, vals_list):
        """A clear answer to a second confirmation; the unique constraint stays the guard
        against two confirmations at the same moment."""
        order_ids = [vals.get("order_id") for vals in vals_list]
        existing = self.sudo().search([("order_id", "in", order_ids)], limit=1)
        if existing or len(set(order_ids)) < len(order_ids):
            order = existing.order_id or self.env["sale.order"].sudo().browse(order_ids[0])
            raise ValidationError(
                self.env._(
                    "The customer's receipt of order %(order)s is already confirmed.",
                    order=order.name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_not_yet_confirmed(vals_list)
        if not self.env.su and any(PORTAL_FIELDS & set(vals) for vals in vals_list):
            raise UserError(self.env._("Where a portal confirmation came from is not typed in."))
        for vals in vals_list:
            vals["recorded_by_id"] = self.env.uid  # who recorded it is a fact, not an input
        receipts = super().create(vals_list)
        # a customer confirming through the link (public user) signs as the customer
        public = self.env.user._is_public()
        for receipt in receipts:
            receipt.order_id.message_post(
                author_id=receipt.order_id.partner_id.id if public else None,
                body=self.env._(
                    "Customer receipt confirmed on %(date)s by %(contact)s.",
                    date=receipt.received_date,
                    contact=receipt.received_by,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return receipts

    def write(self, vals):
        if "recorded_by_id" in vals and not self.env.su:
            raise UserError(self.env._("Who recorded a customer receipt cannot be changed."))
        if PORTAL_FIELDS & set(vals) and not self.env.su:
            raise UserError(self.env._("Where a portal confirmation came from is not typed in."))
        if (
            "order_id" in vals
            and not self.env.su
            and any(r.order_id.id != vals["order_id"] for r in self)
        ):
            raise UserError(self.env._("A customer receipt stays on the order it confirms."))
        if (
            CUSTOMER_FIELDS & set(vals)
            and not self.env.su
            and any(r.channel == "portal" for r in self)
        ):
            raise UserError(
                self.env._("What the customer confirmed on the portal cannot be changed.")
            )
        return super().write(vals)
