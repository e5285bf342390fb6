from odoo import fields, models


class SalesComplaint(models.Model):
    """What follows a closed complaint: a return visit (回访) for the salesperson and a
    satisfaction survey for the customer, once per complaint."""

    _inherit = "sales.complaint"

    return_visit_scheduled = fields.Boolean(
        readonly=True,
        copy=False,
        help="A return visit (回访) was scheduled for the salesperson when it was closed.",
    )

    def _complaint_closed(self):
        result = super()._complaint_closed()
        closed = self.sudo().filtered(lambda complaint: complaint.state == "closed")
        to_visit = closed.filtered(lambda complaint: not complaint.return_visit_scheduled)
        if to_visit:
            to_visit._flow_write({"return_visit_scheduled": True})
            self.env["mail.activity"]._sales_schedule_return_visits(
                [
                    {
                        "record": complaint,
                        "user": complaint._return_visit_user(),
                        "company": complaint.company_id,
                        "summary": self.env._(
                            "Return visit after complaint %(number)s: %(subject)s",
                            number=complaint.name,
                            subject=complaint.subject,
                        ),
                    }
                    for complaint in to_visit
                ]
            )
        self.env["sales.satisfaction"]._invite(
            [
                {
                    "trigger": "complaint",
                    "company": complaint.company_id,
                    "partner": complaint.partner_id,
                    "complaint": complaint,
                    "order": complaint.order_id,
                    "user": complaint.user_id or complaint.partner_id.commercial_partner_id.user_id,
                    "team": complaint.team_id,
                }
                for complaint in closed
            ]
        )
        return result

    def _return_visit_user(self):
        self.ensure_one()
        return self.user_id or self.partner_id.commercial_partner_id.user_id or self.owner_id
