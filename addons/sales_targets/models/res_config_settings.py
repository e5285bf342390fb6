from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_targets_cron_batch_size = fields.Integer(
        "Plans per Refresh Batch",
        config_parameter="sales_targets.cron_batch_size",
        default=20,
        help="How many target plans the hourly achievement refresh handles per batch.",
    )
    sales_targets_visit_type_id = fields.Many2one(
        "mail.activity.type",
        string="Visit Activity Type",
        config_parameter="sales_targets.visit_activity_type_id",
        domain=[("keep_done", "=", True)],
        help="Done activities of this type count as visits for new visit metrics.",
    )
