from odoo import api, fields, models, tools
from odoo.osv import expression


class MailActivity(models.Model):
    _inherit = "mail.activity"

    visit_outcome = fields.Text(
        readonly=True,
        help="What came out of the visit: the feedback given when it was marked as done.",
    )

    @api.model
    def _sales_visit_type(self):
        """The activity type of customer visits (拜访).

        The one definition is ``sales_targets``': the type set in its settings, else its own
        "Visit" type. The visits metric counts the done activities of this type, so the visits
        the assistant shows, plans and checks the cadence of are the visits a rep's target
        counts.
        """
        return self.env["mail.activity.type"].browse(self._sales_visit_type_id())

    @tools.ormcache()
    def _sales_visit_type_id(self):
        # cleared when the setting (ir.config_parameter) changes
        return self.env["sales.target.metric"].sudo()._default_activity_type().id

    @api.model
    def _sales_visit_domain(self, done):
        """Domain of the visits: ``done`` ones (archived with their done date, as the visits
        metric reads them) or planned ones. Search with ``active_test=False`` for done ones."""
        return [
            ("activity_type_id", "=", self._sales_visit_type().id),
            ("active", "=", not done),
        ]

    @api.depends("active")
    def _compute_date_done(self):
        """A visit is done on the company's day (``res.company._sales_today``): one done at
        07:00 in Shanghai counts that day, not on the previous UTC day Odoo would store."""
        done_now = self.filtered(lambda activity: not activity.active and not activity.date_done)
        result = super()._compute_date_done()
        visits = done_now.filtered(
            lambda activity: activity.activity_type_id == self._sales_visit_type()
        )
        if visits:
            visits.date_done = self.env.company._sales_today()
        return result

    def _action_done(self, feedback=False, attachment_ids=None):
        """A visit keeps its feedback as its outcome, on the activity itself, so that done
        visits can be listed and analysed with what came out of them."""
        if feedback:
            visits = self.filtered_domain(
                expression.AND(
                    [self._sales_visit_domain(done=False), [("visit_outcome", "=", False)]]
                )
            )
            visits.sudo().visit_outcome = feedback
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
