from datetime import timedelta

from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class MyDayCase(TransactionCase):
    """A team (leader, two reps), a rep of another team, stages with a visit cadence."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        env = cls.env
        cls.rep = new_test_user(
            env, login="myday_rep", groups="sales_team.group_sale_salesman", name="Rep Wang"
        )
        cls.rep_2 = new_test_user(
            env, login="myday_rep_2", groups="sales_team.group_sale_salesman", name="Rep Zhao"
        )
        cls.leader = new_test_user(
            env,
            login="myday_leader",
            groups="sales_team.group_sale_salesman_all_leads,sales_targets.group_targets_team_leader",
            name="Leader Li",
        )
        cls.other_rep = new_test_user(
            env, login="myday_other", groups="sales_team.group_sale_salesman", name="Rep Sun"
        )
        cls.manager = new_test_user(
            env, login="myday_manager", groups="sales_team.group_sale_manager", name="Manager Zhou"
        )
        cls.team = env["crm.team"].create(
            {
                "name": "East China",
                "user_id": cls.leader.id,
                "member_ids": [Command.set((cls.rep | cls.rep_2).ids)],
            }
        )
        cls.other_team = env["crm.team"].create(
            {"name": "North China", "member_ids": [Command.set(cls.other_rep.ids)]}
        )
        Stage = env["crm.stage"]
        cls.stage_potential = Stage.create({"name": "Potential", "visit_frequency": 1})
        cls.stage_bidding = Stage.create({"name": "Bidding", "visit_frequency": 2})
        cls.stage_negotiation = Stage.create({"name": "Negotiation", "visit_frequency": 3})
        cls.stage_none = Stage.create({"name": "Nurturing", "visit_frequency": 0})
        cls.stage_won = Stage.create({"name": "Signed", "is_won": True, "visit_frequency": 3})
        cls.customer = env["res.partner"].create({"name": "苏州精密机械有限公司"})
        cls.visit_type = env.ref("sales_targets.mail_activity_type_visit")
        cls.call_type = env.ref("mail.mail_activity_data_call")
        cls.today = cls.rep._sales_person_today()

    @classmethod
    def make_lead(cls, user, stage, name="Opportunity", **values):
        return cls.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "user_id": user.id,
                "team_id": user.sale_team_id.id,
                "partner_id": cls.customer.id,
                "stage_id": stage.id,
                **values,
            }
        )

    @classmethod
    def make_activity(cls, record, user, activity_type=None, days=0, done_days_ago=None, **values):
        """An activity due in ``days`` days; done ``done_days_ago`` days ago when given."""
        activity = cls.env["mail.activity"].create(
            {
                "activity_type_id": (activity_type or cls.visit_type).id,
                "res_model_id": cls.env["ir.model"]._get_id(record._name),
                "res_id": record.id,
                "user_id": user.id,
                "date_deadline": cls.today + timedelta(days=days),
                **values,
            }
        )
        if done_days_ago is not None:
            activity.action_feedback(feedback="Met the buyer")
            activity.date_done = cls.today - timedelta(days=done_days_ago)
        return activity
