from odoo import fields, models


class SalesDeliveryDelayReason(models.Model):
    """Why a delivery is late, from a list the sales managers keep, so that the late-delivery
    report groups delays by cause (out of stock, production, carrier, customer...)."""

    _name = "sales.delivery.delay.reason"
    _description = "Delivery Delay Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
