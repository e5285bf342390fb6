from odoo import fields, models

# Context value of the complaint's own changes (state, escalation, closing): only Python
# code holds this object, so no client writes them through a plain ``write``.
COMPLAINT_FLOW = object()

FLOW_FIELDS = ("name", "state", "escalated_at", "date_closed", "source")
OPEN_STATES = ("new", "in_progress")


class SalesComplaint(models.Model):
    """A customer complaint (客诉): filed by staff on an order, a delivery or a customer, or
    by the customer on the portal's order page; owned by the sales desk; due by the service
    level of its severity; closed with a resolution, the action taken and the customer's
    satisfaction."""

    _name = "sales.complaint"
    _description = "Customer Complaint"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/", index=True
    )
    subject = fields.Char(required=True, tracking=True)
    description = fields.Html()
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    order_id = fields.Many2one(
        "sale.order", string="Order", index=True, check_company=True, tracking=True
    )
    picking_id = fields.Many2one("stock.picking", string="Delivery", check_company=True)
    product_id = fields.Many2one("product.product", string="Product", index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        tracking=True,
        help="The salesperson of the order, else of the customer.",
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True)
    owner_id = fields.Many2one(
        "res.users",
        string="Owner",
        index=True,
        tracking=True,
        help="Who handles the complaint: by default the sales desk of the order's team.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    category = fields.Selection(
        [
            ("quality", "Quality"),
            ("delivery", "Delivery"),
            ("service", "Service"),
            ("billing", "Billing"),
            ("other", "Other"),
        ],
        required=True,
        default="quality",
        tracking=True,
    )
    severity = fields.Selection(
        [("low", "Low"), ("normal", "Normal"), ("high", "High"), ("critical", "Critical")],
        required=True,
        default="normal",
        tracking=True,
        index=True,
    )
    source = fields.Selection(
        [("staff", "Staff"), ("portal", "Customer Portal")],
        required=True,
        default="staff",
        readonly=True,
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("in_progress", "In Progress"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="new",
        readonly=True,
        tracking=True,
        index=True,
    )
    date_deadline = fields.Datetime(string="Deadline", index=True, tracking=True)
    escalated_at = fields.Datetime(readonly=True, copy=False)
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    resolution = fields.Text(tracking=True)
    action_taken = fields.Selection(
        [
            ("replacement", "Replacement"),
            ("credit_note", "Credit Note"),
            ("visit", "Visit"),
            ("repair", "Repair"),
            ("explanation", "Explanation"),
            ("other", "Other"),
        ],
        tracking=True,
    )
    satisfaction = fields.Selection(
        [
            ("1", "Very Dissatisfied"),
            ("2", "Dissatisfied"),
            ("3", "Neutral"),
            ("4", "Satisfied"),
            ("5", "Very Satisfied"),
        ],
        string="Customer Satisfaction",
        tracking=True,
    )

    # ------------------------------------------------------------------
    # The flow
    # ------------------------------------------------------------------
    def _is_flow(self):
        return self.env.context.get("sales_complaint_flow") is COMPLAINT_FLOW

    def _flow_write(self, vals):
        """Writes flow fields (state, escalation, closing) as the complaint's own flow."""
        return self.with_context(sales_complaint_flow=COMPLAINT_FLOW).write(vals)

    def _complaint_closed(self):
        """What follows the closing of these complaints (a return visit, a survey): other
        files extend it; called once per closing, after the complaints are closed."""
        return True
