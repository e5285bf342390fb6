"""The base class and helpers of the satisfaction survey and return visit tests."""

from odoo import Command
from odoo.addons.sales_assistant.models.sales_complaint import COMPLAINT_FLOW
from odoo.addons.sales_assistant.tests.common import MyDayCase, deliver


class SatisfactionHelpers:
    """Answering the survey as its controller does, closing a complaint as its flow does."""

    def answer(self, answer, score, text="Faster deliveries, please."):
        """The customer answers ``answer`` (a ``survey.user_input``) as the survey's page
        does: the controller saves each question's lines, then marks the answer done, as
        superuser once the token is checked."""
        answer = answer.sudo()
        survey = answer.survey_id
        scale = survey.question_ids.filtered(lambda q: q.question_type == "scale")[:1]
        text_question = survey.question_ids.filtered(lambda q: q.question_type == "text_box")[:1]
        answer._mark_in_progress()
        answer._save_lines(scale, str(score))
        if text_question:
            answer._save_lines(text_question, text)
        answer._mark_done()
        return answer

    def close_complaint(self, complaint):
        """Closes ``complaint`` as the desk closes it (``_close``: what follows runs once)."""
        complaint._close("Replaced the valve.", "replacement", "4")
        return complaint

    def run_closing_followups(self, complaint):
        """What follows a closing, run again as ``_close`` runs it (within the flow)."""
        complaint.with_context(sales_complaint_flow=COMPLAINT_FLOW)._complaint_closed()

    def answers(self, **domain):
        return (
            self.env["survey.user_input"]
            .sudo()
            .search([(f"sales_{key}", "=", value.id) for key, value in domain.items()])
        )


class SatisfactionCase(MyDayCase, SatisfactionHelpers):
    """MyDayCase's team (leader, two reps, a rep of another team, a manager) with a customer
    reachable by e-mail, a stored product, and the helpers to deliver an order and confirm
    its receipt."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "satisfaction_on_receipt": True,
                "satisfaction_on_complaint": True,
                "satisfaction_yearly": True,
                "satisfaction_survey_id": False,
                "return_visit_days": 3,
                "email": "sales@example.com",
            }
        )
        cls.survey = cls.env.ref("sales_assistant.survey_customer_satisfaction")
        cls.customer.write({"email": "buyer@jingmi.example.com", "user_id": cls.rep.id})
        cls.product = cls.env["product.product"].create(
            {"name": "Industrial valve", "type": "consu", "list_price": 120.0}
        )

    @classmethod
    def make_order(cls, user=None, partner=None, confirm=True):
        user = user or cls.rep
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "user_id": user.id,
                "team_id": user._sales_team(cls.company).id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 2})
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def confirm_receipt(self, order, user=None):
        deliver(order)
        return (
            self.env["sales.customer.receipt"]
            .with_user(user or order.user_id)
            .create({"order_id": order.id, "received_by": "Li Wei"})
        )

    def make_complaint(self, order=None, user=None, partner=None):
        order = order or self.make_order(user)
        return self.env["sales.complaint"].create(
            {
                "subject": "Valve leaks",
                "partner_id": (partner or order.partner_id).id,
                "order_id": order.id,
                "user_id": order.user_id.id,
                "team_id": order.team_id.id,
            }
        )
