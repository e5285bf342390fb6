from odoo import api, models
from odoo.osv import expression

# the states in which a change or a termination waits for its salesperson: to submit, to sign
PENDING_CHANGE_STATES = ("draft", "approved")


class SalesAssistantDay(models.AbstractModel):
    _inherit = "sales.assistant.day"

    @api.model
    def _my_day_section_contracts(self, users, today):
        """Contracts of the user (of their team, for a leader) to renew: in force and ending
        within their company's renewal days, not renewed yet (the renewal cron's own
        definition, ``sales.contract._renewal_due_domain``); and the changes and terminations
        waiting for them: in draft to submit, approved to sign."""
        Contract = self.env["sales.contract"]
        if not Contract.has_access("read"):
            return None
        to_renew = Contract._renewal_due_domain(dict.fromkeys(self.env.user.company_ids, today))
        pending = [
            ("change_kind", "in", ("change", "termination")),
            ("state", "in", PENDING_CHANGE_STATES),
        ]
        kinds = dict(Contract._fields["change_kind"]._description_selection(self.env))

        def entry(contract):
            if contract.state in PENDING_CHANGE_STATES:
                what = kinds.get(contract.change_kind)
                status = (
                    self.env._("%(what)s to sign", what=what)
                    if contract.state == "approved"
                    else self.env._("%(what)s to submit for review", what=what)
                )
                day = False
            else:
                status, day = self.env._("To renew"), contract.date_end
            return self._my_day_entry(
                contract,
                contract._name,
                contract.id,
                contract.display_name,
                " · ".join(filter(None, [contract.partner_id.display_name, status])),
                day,
                today,
                contract.user_id,
            )

        return self._my_day_section(
            self.env._("Contracts to Renew and Changes to Finish"),
            "sales.contract",
            expression.AND([[("user_id", "in", users.ids)], expression.OR([to_renew, pending])]),
            entry,
            sequence=50,
            icon="fa-file-text-o",
            order="date_end, id",
        )
