from odoo import api, models

from .sales_complaint import DESK_GROUP, OPEN_STATES


class SalesAssistantDay(models.AbstractModel):
    _inherit = "sales.assistant.day"

    def _my_day_complaint_entry(self, today):
        severities = dict(
            self.env["sales.complaint"]._fields["severity"]._description_selection(self.env)
        )

        def entry(complaint):
            deadline = complaint.date_deadline
            return self._my_day_entry(
                complaint,
                complaint._name,
                complaint.id,
                f"{complaint.name} {complaint.subject}",
                " · ".join(
                    filter(
                        None,
                        [complaint.partner_id.display_name, severities.get(complaint.severity)],
                    )
                ),
                deadline and self.env.user._sales_person_today(deadline),
                today,
                complaint.user_id,
            )

        return entry

    @api.model
    def _my_day_section_complaints(self, users, today):
        """Open complaints of the user's customers (their team's, for a leader)."""
        Complaint = self.env["sales.complaint"]
        if not Complaint.has_access("read"):
            return None
        return self._my_day_section(
            self.env._("Open Complaints of My Customers"),
            "sales.complaint",
            [("user_id", "in", users.ids), ("state", "in", OPEN_STATES)],
            self._my_day_complaint_entry(today),
            sequence=24,
            icon="fa-exclamation-triangle",
            order="date_deadline, id",
        )

    @api.model
    def _my_day_section_complaint_queue(self, users, today):
        """The sales desk's queue: open complaints they own, or nobody owns, in their
        companies; overdue first."""
        Complaint = self.env["sales.complaint"]
        user = self.env.user
        if not user.has_group(DESK_GROUP) or not Complaint.has_access("read"):
            return None
        return self._my_day_section(
            self.env._("Complaint Queue"),
            "sales.complaint",
            [
                ("state", "in", OPEN_STATES),
                ("owner_id", "in", [user.id, False]),
                ("company_id", "in", user.company_ids.ids),
            ],
            self._my_day_complaint_entry(today),
            sequence=22,
            icon="fa-inbox",
            order="date_deadline, id",
        )
