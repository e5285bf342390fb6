from odoo import api, fields, models


class SalesLeadClosingSummary(models.AbstractModel):
    """What the Lost and the Won dialogs share: the lesson learned, required when the
    settings require a closing summary."""

    _name = "sales.lead.closing.summary"
    _description = "Opportunity Closing Summary"

    closing_lesson = fields.Text(string="Lesson Learned")
    summary_required = fields.Boolean(compute="_compute_summary_required")

    @api.depends_context("uid")
    def _compute_summary_required(self):
        required = self.env["crm.lead"]._closing_summary_required()
        for wizard in self:
            wizard.summary_required = required


class CrmLeadLost(models.TransientModel):
    """Odoo's Lost dialog, with the rest of the summary (商机总结): the competitor that
    won and the lesson learned; and the choice to terminate (终止) for good."""

    _name = "crm.lead.lost"
    _inherit = ["crm.lead.lost", "sales.lead.closing.summary"]

    lost_competitor_id = fields.Many2one("sales.competitor", string="Lost To")
    lost_to_competitor = fields.Boolean(related="lost_reason_id.lost_to_competitor")
    terminate = fields.Boolean(
        string="Terminate (Final)",
        help="A terminated opportunity is final: it can never be reopened.",
    )

    def action_lost_reason_apply(self):
        self.ensure_one()
        # suspended opportunities are archived: they are terminated from here too
        wizard = self.with_context(active_test=False)
        values = {}
        if self.lost_competitor_id:
            values["lost_competitor_id"] = self.lost_competitor_id.id
        if self.closing_lesson:
            values["closing_lesson"] = self.closing_lesson
        leads = wizard.lead_ids
        # checked here with every value of the dialog, before anything is written
        leads._closing_check_summary("lost", dict(values, lost_reason_id=self.lost_reason_id.id))
        if values:
            leads.write(values)
        result = super(CrmLeadLost, wizard).action_lost_reason_apply()
        if self.terminate:
            leads._sales_terminate()
        return result


class SalesLeadWon(models.TransientModel):
    _name = "sales.lead.won"
    _inherit = "sales.lead.closing.summary"
    _description = "Won Opportunity Summary"

    lead_ids = fields.Many2many("crm.lead", string="Opportunities")
    won_reason_id = fields.Many2one("crm.lost.reason", domain="[('closing_type', '=', 'won')]")

    def action_apply(self):
        self.ensure_one()
        values = {"won_reason_id": self.won_reason_id.id, "closing_lesson": self.closing_lesson}
        leads = self.lead_ids
        leads._closing_check_terminable()
        leads._closing_check_summary("won", values)
        leads.write({key: value for key, value in values.items() if value})
        if len(leads) == 1:
            return leads.action_set_won_rainbowman()
        return leads.action_set_won()


class SalesLeadSuspend(models.TransientModel):
    _name = "sales.lead.suspend"
    _description = "Suspend Opportunity"

    lead_ids = fields.Many2many("crm.lead", string="Opportunities")
    resume_date = fields.Date(string="Resume On", required=True)
    reason = fields.Text()

    def action_apply(self):
        self.ensure_one()
        self.lead_ids._sales_suspend(self.resume_date, self.reason)
        return {"type": "ir.actions.act_window_close"}
