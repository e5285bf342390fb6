from odoo import api, fields, models


class SalesAssistantDay(models.AbstractModel):
    _inherit = "sales.assistant.day"

    @api.model
    def _my_day_section_return_visits(self, users, today):
        """Return visits (回访) due today or overdue: after a new customer's first order and
        after a closed complaint; the team's for a leader."""
        Activity = self.env["mail.activity"]
        return self._my_day_section(
            self.env._("Return Visits Due"),
            "mail.activity",
            [
                *Activity._sales_return_visit_domain(done=False),
                ("user_id", "in", users.ids),
                ("date_deadline", "<=", fields.Date.to_string(today)),
            ],
            self._my_day_activity_entry(today),
            sequence=22,
            icon="fa-phone",
            order="date_deadline, id",
        )
