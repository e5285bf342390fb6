"""Satisfaction surveys and return visits of the seeded organisation
(Seeder.make_satisfaction).

The customers who confirmed receipt were invited to the satisfaction survey by the receipt
itself (the assistant's trigger, run by ``make_demo_life``): most of them answered a few days
later, with scores that differ by rep, so that the analysis has months of scores per rep and
team. Some customers got the yearly survey. The return visits the first orders of new
customers scheduled are done with their outcome, and a few are due today for each rep.
"""

from datetime import datetime, time, timedelta

ANSWER_SHARE = 0.7  # customers who answer the survey they were sent
SCORES = (5, 4, 3, 2, 1)
SCORE_WEIGHTS = (40, 35, 14, 7, 4)
DUE_TODAY_PER_REP = 2
FEEDBACK = (
    ("Faster deliveries, please.", "请加快交货速度。"),
    ("The salesperson answers quickly; keep it up.", "销售人员回复很及时。请继续保持。"),
    ("Packaging could be sturdier.", "包装可以更结实一些。"),
    ("Clearer invoices would help our accounts.", "发票信息再清楚一些会方便我们对账。"),
    ("", ""),
)
OUTCOMES = (
    (
        "Satisfied with the first delivery; plans a second order next month.",
        "对首批交货满意。计划下月再下单。",
    ),
    (
        "Asked for training on the equipment; scheduled with the engineer.",
        "客户要求设备培训。已与工程师约好时间。",
    ),
    ("Price questions on the next order; sending a quotation.", "对下一单价格有疑问。已发送报价。"),
)


class SatisfactionSteps:
    """Mixin of the Seeder: ``make_satisfaction`` after ``make_demo_life``."""

    def make_satisfaction(self):
        env = self.env
        if "satisfaction_score" not in env["survey.user_input"]._fields or self.bench:
            return
        survey = env["sales.satisfaction"]._survey(self.company)
        if not survey:
            return
        self._answer_satisfaction_surveys(survey)
        self._invite_yearly_sample()
        self._make_return_visits()
        self.commit()

    def _feedback(self):
        return self.rng.choice(FEEDBACK)[1 if self.chinese else 0]

    def _answer_satisfaction_surveys(self, survey):
        env, rng = self.env, self.rng
        scale = survey.question_ids.filtered(lambda q: q.question_type == "scale")[:1]
        text = survey.question_ids.filtered(lambda q: q.question_type == "text_box")[:1]
        answers = (
            env["survey.user_input"]
            .sudo()
            .search([("sales_trigger", "!=", False), ("state", "=", "new")], order="id")
        )
        # each rep has a leaning: some reps' customers are happier than others'
        leaning = {}
        answered = 0
        for answer in answers:
            order = answer.sales_order_id
            sent = (order.receipt_date or answer.create_date.date()) if order else self.today
            days = rng.randint(1, 6)
            if rng.random() > ANSWER_SHARE or (self.today - sent).days < days:
                continue
            rep = answer.sales_user_id.id
            shift = leaning.setdefault(rep, rng.choice((-1, 0, 0, 1)))
            score = rng.choices(SCORES, weights=SCORE_WEIGHTS)[0]
            score = min(5, max(1, score + (shift if rng.random() < 0.5 else 0)))
            answer._mark_in_progress()
            answer._save_lines(scale, str(score))
            feedback = self._feedback()
            if text and feedback:
                answer._save_lines(text, feedback)
            answer._mark_done()
            when = datetime.combine(sent + timedelta(days=days), time(rng.randint(1, 10)))
            answer.write({"start_datetime": when, "end_datetime": when})
            answered += 1
        self.counts["satisfaction_answers"] = answered

    def _invite_yearly_sample(self):
        """The yearly survey, as its cron sends it, answered by part of the customers."""
        env = self.env
        env["sales.satisfaction"]._yearly_batch(self.company, 40 if self.size == "demo" else 5)

    def _make_return_visits(self):
        """The return visits of first orders: done with an outcome, but a few per rep due
        today (and one overdue) so that My day shows them."""
        env, rng = self.env, self.rng
        Activity = env["mail.activity"]
        visits = Activity.search(
            [
                *Activity._sales_return_visit_domain(done=False),
                # the teams' reps, the demo salesperson among them
                ("user_id", "in", [uid for uids in self.team_reps.values() for uid in uids]),
            ],
            order="id",
        )
        due = {}
        for visit in visits:
            kept = due.setdefault(visit.user_id.id, [])
            if len(kept) < DUE_TODAY_PER_REP:
                kept.append(visit)
                visit.date_deadline = self.today - timedelta(days=len(kept) - 1)
                continue
            outcome = rng.choice(OUTCOMES)[1 if self.chinese else 0]
            visit.with_user(visit.user_id).action_feedback(feedback=outcome)
        self.counts["return_visits_due"] = sum(len(kept) for kept in due.values())
