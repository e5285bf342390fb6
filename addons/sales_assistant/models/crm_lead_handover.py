from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    handover_joint_visit = fields.Boolean(
        string="Joint Visit",
        copy=False,
        help="Handed over in a late stage: the successor visits the customer together with "
        "the former salesperson (离职交接).",
    )
    handover_previous_user_id = fields.Many2one(
        "res.users", string="Former Salesperson", copy=False, readonly=True
    )
