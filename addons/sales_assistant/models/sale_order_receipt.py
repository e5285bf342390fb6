import secrets
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.actions import form_action
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import consteq

RECEIPT_STATES = [
    ("delivering", "Being Delivered"),
    ("awaiting", "Awaiting Customer Receipt"),
    ("received", "Received by Customer"),
]
RECEIPT_TOKEN_DAYS = 30  # default validity of the link the customer confirms receipt with


class SaleOrder(models.Model):
    _inherit = "sale.order"

    customer_receipt_ids = fields.One2many(
        "sales.customer.receipt", "order_id", string="Customer Receipts"
    )
    receipt_state = fields.Selection(
        RECEIPT_STATES,
        string="Customer Receipt",
        compute="_compute_receipt_state",
        store=True,
        help="An order is complete only once every delivery is done and the customer confirms "
        "receipt of the goods.",
    )
    receipt_date = fields.Date(string="Received On", compute="_compute_receipt_state", store=True)
    # the customer's link to confirm receipt: readable by code only (sudo), never over RPC
    receipt_token = fields.Char(copy=False, groups="base.group_system")
    receipt_token_expiry = fields.Datetime(copy=False, groups="base.group_system")
    receipt_requested = fields.Boolean(
        copy=False,
        readonly=True,
        help="The customer was sent the link to confirm receipt once the last delivery was done.",
    )

    @api.depends("state", "delivery_status", "customer_receipt_ids.received_date")
    def _compute_receipt_state(self):
        for order in self:
            receipt = order.customer_receipt_ids[:1]
            order.receipt_date = receipt.received_date
            if order.state != "sale" or not order.delivery_status:
                order.receipt_state = False
            elif receipt:
                order.receipt_state = "received"
            elif order.delivery_status == "full":
                order.receipt_state = "awaiting"
            else:
                order.receipt_state = "delivering"

    # -- dates, in the timezone of whoever confirms ------------------------------------------

    def _receipt_tz(self):
        """The user's timezone, else the customer's (a customer confirming on the portal
        through a link is the public user), else the company's.

        A delivery done at 07:00 in Shanghai was done that day there, though it is the
        previous day in UTC."""
        self.ensure_one()
        user, order = self.env.user, self.sudo()
        tz = (not user._is_public() and user.tz) or order.partner_id.tz
        return tz or order.company_id._sales_tz()

    def _receipt_today(self):
        """Today as whoever confirms the receipt sees it (``_receipt_tz``)."""
        return self.env["res.company"]._sales_day(self._receipt_tz())

    def _receipt_last_delivery_date(self):
        """The local day of the order's last done delivery (None before any)."""
        self.ensure_one()
        pickings = self.sudo().picking_ids
        done = [
            p.date_done
            for p in pickings
            if p.state == "done" and p.date_done and p.picking_type_code == "outgoing"
        ]
        return self.env["res.company"]._sales_day(self._receipt_tz(), max(done)) if done else None

    # -- the customer's portal path ----------------------------------------------------------

    def _receipt_token_days(self):
        param = self.env["ir.config_parameter"].sudo().get_param
        return int(param("sales_assistant.receipt_token_days", RECEIPT_TOKEN_DAYS) or 0)

    def _receipt_portal_url(self):
        """The link the customer confirms receipt with; a new token when there is none or
        the previous one expired. For the customer's e-mail and portal page only, which
        render as superuser: a colleague rendering the template gets no token."""
        self.ensure_one()
        if not self.env.su:
            raise AccessError(self.env._("The receipt link is sent to the customer only."))
        order = self.sudo()
        now = fields.Datetime.now()
        if (
            not order.receipt_token
            or not order.receipt_token_expiry
            or order.receipt_token_expiry < now
        ):
            order.write(
                {
                    "receipt_token": secrets.token_urlsafe(32),
                    "receipt_token_expiry": now + timedelta(days=self._receipt_token_days()),
                }
            )
        return f"/my/orders/{self.id}/receipt?token={order.receipt_token}"

    def _receipt_portal_url_for_viewer(self, user):
        """The link on the order's portal page, for ``user`` (who views the page) when
        they are the customer's own portal user: staff who preview the page, or anyone
        holding the order's access token, read the order but do not confirm receipt for
        the customer. (The page renders the order as superuser: the viewer is given.)"""
        self.ensure_one()
        if (
            self.receipt_state != "awaiting"
            or not user.share
            or user._is_public()
            or user.partner_id.commercial_partner_id != self.sudo().partner_id.commercial_partner_id
        ):
            return False
        return self._receipt_portal_url()

    def _receipt_token_problem(self, token):
        """Why ``token`` cannot confirm this order's receipt: 'invalid', 'expired', 'used'
        (already confirmed) or 'not_delivered'; None when it can."""
        order = self.sudo()
        if not order or not token or not order.receipt_token:
            return "invalid"
        if not consteq(str(token), order.receipt_token):
            return "invalid"
        if not order.receipt_token_expiry or order.receipt_token_expiry < fields.Datetime.now():
            return "expired"
        if order.customer_receipt_ids:
            return "used"
        if order.receipt_state != "awaiting":
            return "not_delivered"
        return None

    def _receipt_confirm_from_portal(
        self,
        token,
        received_by,
        received_date,
        delivery_note=None,
        filename=None,
        ip_address=None,
        user_agent=None,
    ):
        """Record the customer's receipt from the portal link; the caller is the customer
        (public or portal user), so the receipt is written with sudo once the token is
        checked, and remains recorded by that user (channel 'portal'), with the IP address
        and browser it came from.

        :raise ValidationError: bad token or bad values; nothing is written."""
        self.ensure_one()
        problem = self._receipt_token_problem(token)
        if problem:
            raise ValidationError(self._receipt_token_message(problem))
        if not (received_by or "").strip():
            raise ValidationError(self.env._("Please enter the name of who received the goods."))
        return (
            self.env["sales.customer.receipt"]
            .sudo()
            .create(
                {
                    "order_id": self.id,
                    "received_by": received_by.strip(),
                    "received_date": received_date or self._receipt_today(),
                    "delivery_note": delivery_note,
                    "delivery_note_filename": filename,
                    "portal_ip": (ip_address or "")[:64] or False,
                    "portal_user_agent": (user_agent or "")[:512] or False,
                }
            )
        )

    def _receipt_token_message(self, problem):
        return {
            "invalid": self.env._(
                "This link is not valid. Please use the latest link your supplier sent you, "
                "or contact your salesperson."
            ),
            "expired": self.env._(
                "This link has expired. Please ask your salesperson for a new one."
            ),
            "used": self.env._("The receipt of this order is already confirmed."),
            "not_delivered": self.env._(
                "This order is not fully delivered yet: you can confirm receipt once every "
                "delivery has arrived."
            ),
        }[problem]

    def _receipt_request(self):
        """Send the customer the link to confirm receipt, once per order, when the last
        delivery is done (from ``stock.picking._action_done``)."""
        orders = self.filtered(
            lambda o: (
                o.receipt_state == "awaiting"
                and not o.receipt_requested
                and o.company_id.assistant_receipt_request
            )
        )
        if not orders:
            return
        orders.receipt_requested = True
        orders._receipt_send_link()

    def _receipt_send_link(self):
        """E-mail the customer the link, kept out of the order's chatter: whoever reads the
        order must not hold the customer's token. The e-mail is a message on no document
        (only its recipient, and the company as its author, can read it) and deleted once
        sent; the chatter keeps a note that it was sent."""
        template = self.env.ref("sales_assistant.mail_template_receipt_request").sudo()
        for order in self:
            template.send_mail(
                order.id,
                email_values={
                    "model": False,
                    "res_id": False,
                    "author_id": order.company_id.partner_id.id,
                    "message_type": "email_outgoing",
                    **(
                        {"email_from": order.company_id.email_formatted}
                        if order.company_id.email
                        else {}
                    ),
                },
            )
        notes = {
            order.id: Markup("<p>%s</p>")
            % self.env._(
                "The customer (%(customer)s) was e-mailed the link to confirm receipt.",
                customer=order.partner_id.display_name,
            )
            for order in self
        }
        self._message_log_batch(bodies=notes)

    def action_record_receipt(self):
        self.ensure_one()
        return form_action(
            "sales.customer.receipt",
            name=self.env._("Confirm Customer Receipt"),
            target="new",
            context={
                "default_order_id": self.id,
                "default_received_by": self.partner_id.name,
            },
        )
