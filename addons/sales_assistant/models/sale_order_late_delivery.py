from odoo import api, fields, models


class SaleOrder(models.Model):
    """The late deliveries of an order: its flag, and the salesperson's activity to explain
    them (the records themselves are ``sales.late.delivery``)."""

    _inherit = "sale.order"

    late_delivery_ids = fields.One2many("sales.late.delivery", "order_id", string="Late Deliveries")
    delivery_late = fields.Boolean(
        string="Late Delivery",
        compute="_compute_delivery_late",
        store=True,
        help="A delivery of this order is still not done although its promised date passed.",
    )

    @api.depends("late_delivery_ids.state")
    def _compute_delivery_late(self):
        for order in self:
            order.delivery_late = any(late.state == "late" for late in order.late_delivery_ids)

    def _late_delivery_flag(self):
        """The cron recorded late deliveries of these orders: flag them, and give the
        salesperson of each order that was not late yet one activity (an order with an
        open late-delivery activity never gets a second)."""
        newly_late = self.search([("id", "in", self.ids), ("delivery_late", "=", False)])
        self.invalidate_recordset(["late_delivery_ids"])
        self.env.add_to_compute(self._fields["delivery_late"], self)
        self.flush_recordset(["delivery_late"])
        activity_type = self.env.ref("sales_assistant.mail_activity_type_late_delivery")
        Activity = self.env["mail.activity"].sudo()
        open_activity = set(
            Activity.search(
                [
                    ("res_model", "=", "sale.order"),
                    ("res_id", "in", newly_late.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            ).mapped("res_id")
        )
        model_id = self.env["ir.model"]._get_id("sale.order")
        today = {company: company._sales_today() for company in newly_late.company_id}
        # No e-mail per activity: a late batch would flood the rep; the activity shows in
        # their to-do list and on the order. Every value given (defaults and the record's
        # name included), so that thousands are created in one batch without per-record
        # default or name lookups.
        Activity.with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_model": "sale.order",
                    "res_id": order.id,
                    "res_name": order.name,
                    "activity_type_id": activity_type.id,
                    "user_id": order.user_id.id,
                    "date_deadline": today[order.company_id],
                    "automated": True,
                    "active": True,
                    "date_done": False,
                    "user_tz": order.user_id.tz,
                }
                for order in newly_late
                if order.user_id and order.id not in open_activity
            ]
        )

    def _late_delivery_explained(self):
        """Close the late-delivery activity of the orders whose late deliveries all have a
        reason."""
        explained = self.filtered(
            lambda o: all(late.reason_id for late in o.late_delivery_ids if late.state == "late")
        )
        if explained:
            explained.sudo().activity_feedback(
                ["sales_assistant.mail_activity_type_late_delivery"],
                feedback=self.env._("Delay reason recorded."),
            )
