from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    assistant_receipt_request = fields.Boolean(
        related="company_id.assistant_receipt_request", readonly=False
    )
    assistant_receipt_token_days = fields.Integer(
        string="Receipt Link Validity (Days)",
        config_parameter="sales_assistant.receipt_token_days",
        default=30,
    )
    assistant_late_delivery_batch = fields.Integer(
        string="Late Deliveries per Batch",
        config_parameter="sales_assistant.late_delivery_batch",
        default=10000,
    )
