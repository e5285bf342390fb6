from odoo import fields, models

from .sales_contract import EDITABLE_STATES, IN_FORCE_STATES

# the kanban's columns by state: the steps of the life of a contract always, in their order
KANBAN_STATES = ("draft", "review", "approved", "signed", "performance")


class SalesContract(models.Model):
    """What the contract screens show: the change in progress on the version in force; the
    kanban's columns in the order of the contract's life."""

    _inherit = "sales.contract"

    state = fields.Selection(group_expand="_group_expand_states")

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

    def _group_expand_states(self, states, domain):
        return [
            key
            for key, _label in self._fields["state"].selection
            if key in KANBAN_STATES or key in states
        ]
