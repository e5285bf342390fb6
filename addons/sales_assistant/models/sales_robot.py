from odoo import fields, models


class SalesRobot(models.Model):
    """The events of this addon a group robot may receive (see ``sales.robot._push``);
    each producer is a ``sales_robot_push_<topic>.py``."""

    _inherit = "sales.robot"

    push_digest = fields.Boolean(
        string="Morning Digest", default=True, help="The team's day when the digest goes out."
    )
    push_collections = fields.Boolean(
        string="Collection Reminders", default=True, help="Reminders and escalations."
    )
    push_late_deliveries = fields.Boolean(string="Late Deliveries", default=True)
    push_promises = fields.Boolean(string="Broken Promises", default=True)
    push_complaints = fields.Boolean(
        string="Complaints", default=True, help="New, critical and escalated complaints."
    )
    push_contracts = fields.Boolean(
        string="Contract Expiries", default=True, help="The contracts to renew."
    )
