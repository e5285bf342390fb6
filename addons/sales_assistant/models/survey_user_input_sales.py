from odoo import api, fields, models
from odoo.exceptions import UserError

TRIGGERS = [
    ("receipt", "Receipt Confirmed"),
    ("complaint", "Complaint Closed"),
    ("yearly", "Yearly Survey"),
]
SCORE_MIN, SCORE_MAX = 1, 5
# what links an answer to the sales side: written by the sending alone (as superuser)
SALES_FIELDS = {
    "sales_partner_id",
    "sales_order_id",
    "sales_complaint_id",
    "sales_user_id",
    "sales_team_id",
    "sales_company_id",
    "sales_trigger",
    "sales_key",
    "satisfaction_score",
}


class SurveyUserInput(models.Model):
    """A customer's answer to the satisfaction survey (客户满意度调查), linked back to what
    it was sent for: the customer, the order or the complaint, the rep and the team. Sent by
    ``sales.satisfaction._invite`` alone; the score is read from the survey's scale question
    once the customer is done."""

    _inherit = "survey.user_input"

    sales_partner_id = fields.Many2one(
        "res.partner", string="Surveyed Customer", readonly=True, index=True
    )
    sales_order_id = fields.Many2one("sale.order", string="Surveyed Order", readonly=True)
    sales_complaint_id = fields.Many2one(
        "sales.complaint", string="Surveyed Complaint", readonly=True
    )
    sales_user_id = fields.Many2one("res.users", string="Salesperson", readonly=True, index=True)
    sales_team_id = fields.Many2one("crm.team", readonly=True)
    sales_company_id = fields.Many2one("res.company", readonly=True)
    sales_trigger = fields.Selection(TRIGGERS, string="Sent After", readonly=True, index=True)
    # what the invitation was sent for ("receipt:<order>", "yearly:<company>:<partner>:<year>"):
    # the unique index is the guard against a second invitation for the same event, also
    # when two workers send at the same moment
    sales_key = fields.Char(readonly=True, copy=False)
    satisfaction_score = fields.Integer(
        compute="_compute_satisfaction_score",
        store=True,
        help="The customer's overall satisfaction, 1 (very dissatisfied) to 5 (very "
        "satisfied), from the survey's scale question once the answer is done.",
    )

    _sql_constraints = [
        (
            "sales_key_unique",
            "unique(sales_key)",
            "This customer was already invited to the survey for this event.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(SALES_FIELDS & set(vals) for vals in vals_list):
            raise UserError(self._sales_fields_message())
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and SALES_FIELDS & set(vals):
            raise UserError(self._sales_fields_message())
        return super().write(vals)

    def _sales_fields_message(self):
        return self.env._(
            "What a satisfaction survey was sent for (the customer, the order or complaint, "
            "the salesperson) and its score are set by the survey itself, not typed in."
        )

    @api.depends("state", "user_input_line_ids.value_scale", "user_input_line_ids.skipped")
    def _compute_satisfaction_score(self):
        for answer in self:
            line = answer.user_input_line_ids.filtered(
                lambda line: line.answer_type == "scale" and not line.skipped
            )[:1]
            score = line.value_scale if answer.state == "done" and line else 0
            answer.satisfaction_score = score if SCORE_MIN <= score <= SCORE_MAX else 0

    def _satisfaction_send_invitation(self):
        """E-mail each customer the link to their survey. The e-mail holds the answer's
        token: it is a message on no document (only its recipient reads it), deleted once
        sent; the customer without an e-mail address keeps the answer, which the rep can
        share."""
        template = self.env.ref("sales_assistant.mail_template_satisfaction_invite").sudo()
        for answer in self.sudo().filtered(lambda answer: answer.partner_id.email):
            company = answer.sales_company_id or self.env.company
            template.with_context(lang=answer.partner_id.lang).send_mail(
                answer.id,
                email_values={
                    "model": False,
                    "res_id": False,
                    "author_id": company.partner_id.id,
                    "message_type": "email_outgoing",
                    **({"email_from": company.email_formatted} if company.email else {}),
                },
            )
