import re
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.addons.sales_assistant.tests.common import RpcError, call_kw, deliver
from odoo.addons.sales_assistant.tests.common_satisfaction import SatisfactionCase
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSatisfactionTriggers(SatisfactionCase):
    """The satisfaction survey goes out after a receipt, after a closed complaint and once a
    year, once per event, linked back to the customer, the order or complaint and the rep."""

    def invitation_mails(self, partner):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("recipient_ids", "in", partner.ids), ("body_html", "like", "/survey/start/")])
        )

    def test_customer_confirming_receipt_is_invited_once_with_the_order_and_rep(self):
        order = self.make_order()
        receipt = self.confirm_receipt(order, user=self.rep)
        answer = self.answers(order_id=order)
        self.assertEqual(len(answer), 1)
        self.assertEqual(answer.survey_id, self.survey)
        self.assertEqual(answer.sales_trigger, "receipt")
        self.assertEqual(answer.partner_id, self.customer)
        self.assertEqual(answer.sales_partner_id, self.customer)
        self.assertEqual(answer.sales_user_id, self.rep)
        self.assertEqual(answer.sales_team_id, self.team)
        self.assertEqual(answer.sales_company_id, self.company)
        self.assertEqual(answer.state, "new")
        mails = self.invitation_mails(self.customer)
        self.assertEqual(len(mails), 1, "one invitation e-mail")
        self.assertIn(answer.access_token, mails.body_html)
        self.assertFalse(mails.model, "the token stays out of any chatter")
        # the same event again invites nobody twice
        receipt._satisfaction_invite()
        self.assertEqual(len(self.answers(order_id=order)), 1)
        self.assertEqual(len(self.invitation_mails(self.customer)), 1)

    def test_customer_confirming_on_the_portal_is_invited(self):
        order = self.make_order()
        deliver(order)
        token = order.sudo()._receipt_portal_url().split("token=")[1]
        public = self.env.ref("base.public_user")
        order.with_user(public)._receipt_confirm_from_portal(token, "Li Wei", None)
        answer = self.answers(order_id=order)
        self.assertEqual(len(answer), 1)
        self.assertEqual(answer.sales_user_id, self.rep)
        self.assertEqual(answer.sales_trigger, "receipt")

    def test_no_survey_after_receipt_when_the_trigger_is_off(self):
        self.company.satisfaction_on_receipt = False
        order = self.make_order()
        self.confirm_receipt(order)
        self.assertFalse(self.answers(order_id=order))

    def test_closed_complaint_invites_the_customer_once_with_the_complaint(self):
        complaint = self.make_complaint()
        self.close_complaint(complaint)
        self.run_closing_followups(complaint)  # a second call for the same closing
        answer = self.answers(complaint_id=complaint)
        self.assertEqual(len(answer), 1)
        self.assertEqual(answer.sales_trigger, "complaint")
        self.assertEqual(answer.sales_order_id, complaint.order_id)
        self.assertEqual(answer.sales_user_id, self.rep)
        self.assertEqual(answer.sales_partner_id, self.customer)

    def test_open_complaint_sends_no_survey(self):
        complaint = self.make_complaint()
        self.run_closing_followups(complaint)
        self.assertFalse(self.answers(complaint_id=complaint))

    def test_answering_the_survey_stores_the_score(self):
        order = self.make_order()
        self.confirm_receipt(order)
        answer = self.answers(order_id=order)
        self.assertEqual(answer.satisfaction_score, 0, "no score before the answer")
        self.answer(answer, 4)
        self.assertEqual(answer.state, "done")
        self.assertEqual(answer.satisfaction_score, 4)
        better = answer.user_input_line_ids.filtered(lambda line: line.answer_type == "text_box")
        self.assertEqual(better.value_text_box, "Faster deliveries, please.")

    def test_answer_in_progress_has_no_score(self):
        order = self.make_order()
        self.confirm_receipt(order)
        answer = self.answers(order_id=order).sudo()
        scale = self.survey.question_ids.filtered(lambda q: q.question_type == "scale")
        answer._mark_in_progress()
        answer._save_lines(scale, "2")
        self.assertEqual(answer.satisfaction_score, 0)


@tagged("post_install", "-at_install")
class TestYearlySatisfaction(SatisfactionCase):
    """Once a year, the customers with an order confirmed in the last 12 months."""

    def test_yearly_cron_twice_invites_each_active_customer_once(self):
        order = self.make_order()
        idle = self.env["res.partner"].create({"name": "闲置客户", "email": "idle@example.com"})
        old = self.make_order(partner=idle)
        old.date_order = datetime.now() - timedelta(days=400)
        Satisfaction = self.env["sales.satisfaction"]
        Satisfaction._cron_yearly_satisfaction()
        Satisfaction._cron_yearly_satisfaction()
        yearly = self.answers(partner_id=self.customer).filtered(
            lambda a: a.sales_trigger == "yearly"
        )
        self.assertEqual(len(yearly), 1)
        self.assertEqual(yearly.sales_user_id, self.rep, "the customer's salesperson")
        self.assertFalse(yearly.sales_order_id)
        self.assertFalse(self.answers(partner_id=idle), "no order in the last 12 months")
        self.assertTrue(order)

    def test_yearly_cron_works_in_batches(self):
        Satisfaction = self.env["sales.satisfaction"]
        Satisfaction._cron_yearly_satisfaction(batch_size=100000)  # the demo's customers
        others = self.env["res.partner"].create(
            [{"name": f"客户 {i}", "email": f"c{i}@example.com"} for i in range(3)]
        )
        for partner in others:
            self.make_order(partner=partner)
        self.assertEqual(Satisfaction._cron_yearly_satisfaction(batch_size=2), 2)
        self.assertEqual(Satisfaction._cron_yearly_satisfaction(batch_size=2), 1)
        self.assertEqual(Satisfaction._cron_yearly_satisfaction(batch_size=2), 0)
        invited = self.env["survey.user_input"].sudo().search([("sales_trigger", "=", "yearly")])
        self.assertLessEqual(others, invited.sales_partner_id)

    def test_customer_invited_last_year_is_invited_again_this_year(self):
        self.make_order()
        Satisfaction = self.env["sales.satisfaction"]
        with freeze_time("2026-12-30 10:00:00"):
            self.make_order().date_order = datetime(2026, 12, 30, 9)
            Satisfaction._cron_yearly_satisfaction()
        with freeze_time("2027-01-02 10:00:00"):
            Satisfaction._cron_yearly_satisfaction()
            Satisfaction._cron_yearly_satisfaction()
        keys = (
            self.env["survey.user_input"]
            .sudo()
            .search([("sales_trigger", "=", "yearly"), ("sales_partner_id", "=", self.customer.id)])
            .mapped("sales_key")
        )
        self.assertEqual(
            sorted(keys),
            [
                f"yearly:{self.company.id}:{self.customer.id}:2026",
                f"yearly:{self.company.id}:{self.customer.id}:2027",
            ],
        )

    def test_year_of_the_yearly_survey_is_the_companys(self):
        self.company.partner_id.tz = "Asia/Shanghai"
        # 01:00 on 1 January 2027 in Shanghai, still 2026 in UTC
        with freeze_time("2026-12-31 17:00:00"):
            self.make_order()
            self.env["sales.satisfaction"]._cron_yearly_satisfaction()
        answer = self.answers(partner_id=self.customer)
        self.assertEqual(answer.sales_key, f"yearly:{self.company.id}:{self.customer.id}:2027")


@tagged("post_install", "-at_install")
class TestSatisfactionRpc(SatisfactionCase, HttpCase):
    """A rep reaches the answers neither through the ORM nor over JSON-RPC."""

    def test_rep_cannot_read_or_forge_survey_answers(self):
        order = self.make_order()
        self.confirm_receipt(order)
        answer = self.answers(order_id=order)
        with self.assertRaises(AccessError):
            answer.with_user(self.rep).read(["satisfaction_score"])
        self.authenticate("myday_rep", "myday_rep")
        with self.assertRaises(RpcError):
            call_kw(
                self,
                "survey.user_input",
                "create",
                [{"survey_id": self.survey.id, "sales_key": f"receipt:{order.id + 1}"}],
            )
        with self.assertRaises(RpcError):
            call_kw(self, "sales.satisfaction", "_invite", [[]])

    def test_survey_officer_cannot_forge_what_an_answer_was_sent_for(self):
        officer = new_test_user(
            self.env, login="sat_officer", groups="base.group_user,survey.group_survey_user"
        )
        order = self.make_order()
        self.confirm_receipt(order)
        answer = self.answers(order_id=order).with_user(officer)
        for values in ({"sales_user_id": self.other_rep.id}, {"satisfaction_score": 5}):
            with self.assertRaisesRegex(UserError, "set by the survey itself"):
                answer.write(values)
        self.assertEqual(answer.sales_user_id, self.rep)
        with self.assertRaisesRegex(UserError, "set by the survey itself"):
            self.env["survey.user_input"].with_user(officer).create(
                {"survey_id": self.survey.id, "sales_user_id": self.rep.id}
            )

    def test_customer_answers_through_the_survey_page_and_the_score_is_stored(self):
        order = self.make_order()
        self.confirm_receipt(order)
        answer = self.answers(order_id=order)
        survey = self.survey.sudo()
        page = self.url_open(
            f"/survey/start/{survey.access_token}?answer_token={answer.access_token}"
        )
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'csrf_token.+value="([a-f0-9]{40}o[0-9]*)"', page.text)[1]
        base = f"{survey.get_base_url()}/survey"
        self.opener.post(f"{base}/begin/{survey.access_token}/{answer.access_token}", json={})
        scale, better = survey.question_ids.sorted("sequence")
        response = self.opener.post(
            f"{base}/submit/{survey.access_token}/{answer.access_token}",
            json={
                "params": {
                    str(scale.id): "2",
                    str(better.id): "Call before delivering.",
                    "csrf_token": csrf,
                    "token": answer.access_token,
                    "button_submit": "next",
                }
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("error", response.json())
        answer.invalidate_recordset()
        self.assertEqual(answer.state, "done")
        self.assertEqual(answer.satisfaction_score, 2)
