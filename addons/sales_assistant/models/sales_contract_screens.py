from odoo import fields, models

from .sales_contract import EDITABLE_STATES, IN_FORCE_STATES


class SalesContract(models.Model):
    """What the contract form shows of the other versions: the change in progress on the
    version in force."""

    _inherit = "sales.contract"

    pending_change_id = fields.Many2one(
        "sales.contract",
        string="Change in Progress",
        compute="_compute_pending_change_id",
        help="The change or termination of this contract not signed yet: this version stays "
        "in force until it is.",
    )

    def _compute_pending_change_id(self):
        in_force = self.filtered(lambda c: c.state in IN_FORCE_STATES and c.root_id)
        changes = self.search(
            [
                ("root_id", "in", in_force.root_id.ids),
                ("change_kind", "!=", "new"),
                ("state", "in", EDITABLE_STATES),
            ],
            order="version desc",
        )
        by_root = {}
        for change in changes:
            by_root.setdefault(change.root_id.id, change)
        for contract in self:
            pending = contract in in_force and by_root.get(contract.root_id.id)
            contract.pending_change_id = pending or False
