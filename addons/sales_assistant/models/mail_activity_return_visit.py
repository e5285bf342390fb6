from datetime import timedelta

from odoo import api, fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    return_visit_outcome = fields.Text(
        readonly=True,
        help="What came out of the return visit (回访): the feedback given when it was marked "
        "as done.",
    )

    @api.model
    def _sales_return_visit_type(self):
        """The activity type of return visits (回访), shipped with the assistant."""
        # the cached id, without ``env.ref``'s query per call (My day asks it per section)
        return self.env["mail.activity.type"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id(
                "sales_assistant.mail_activity_type_return_visit"
            )
        )

    @api.model
    def _sales_return_visit_domain(self, done):
        """Domain of the return visits: ``done`` ones (archived, kept with their outcome:
        search them with ``active_test=False``) or planned ones."""
        return [
            ("activity_type_id", "=", self._sales_return_visit_type().id),
            ("active", "=", not done),
        ]

    @api.model
    def _sales_schedule_return_visits(self, requests):
        """Schedule a return visit per request, the one home of the scheduling; the caller
        keeps the event's marker (one return visit per event).

        :param requests: dicts of ``record`` (the order or complaint it is on), ``user``
            (the rep, else the record's responsible), ``company`` and ``summary``.
        """
        visit_type = self._sales_return_visit_type()
        values = []
        for request in requests:
            record, company = request["record"], request["company"]
            user = request.get("user")
            if not user:
                continue
            values.append(
                {
                    "activity_type_id": visit_type.id,
                    "res_model_id": self.env["ir.model"]._get_id(record._name),
                    "res_id": record.id,
                    "user_id": user.id,
                    "summary": request["summary"],
                    "date_deadline": company._sales_today()
                    + timedelta(days=company.return_visit_days),
                }
            )
        return self.sudo().create(values)

    def _action_done(self, feedback=False, attachment_ids=None):
        """A return visit keeps its feedback as its outcome, on the activity itself (its type
        keeps done activities), so that return visits can be listed with what came out."""
        if feedback:
            visits = self.filtered_domain(
                [
                    *self._sales_return_visit_domain(done=False),
                    ("return_visit_outcome", "=", False),
                ]
            )
            visits.sudo().return_visit_outcome = feedback
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
