from odoo import fields, models


class SalesWorkReportReview(models.TransientModel):
    """The leader's comment (点评) on a submitted report; the report does the work
    (``sales.work.report._review``)."""

    _name = "sales.work.report.review"
    _description = "Review of a Work Report"

    report_id = fields.Many2one("sales.work.report", required=True, ondelete="cascade")
    comment = fields.Text(required=True)

    def action_review(self):
        """Marks the report reviewed with the comment; the report checks who may."""
        for wizard in self:
            wizard.report_id._review(wizard.comment)
        return {"type": "ir.actions.act_window_close"}
