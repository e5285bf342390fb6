from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL


class SalesCollectionReminder(models.Model):
    """A reminder sent for one installment at one level: the log that keeps the cron from
    sending it twice (unique per installment and level)."""

    _name = "sales.collection.reminder"
    _description = "Collection Reminder"
    _order = "date desc, id desc"
    _rec_name = "level_id"

    installment_id = fields.Many2one(
        "sales.collection.installment", required=True, ondelete="cascade", readonly=True
    )
    level_id = fields.Many2one(
        "sales.collection.reminder.level", required=True, ondelete="restrict", readonly=True
    )
    plan_id = fields.Many2one(related="installment_id.plan_id", store=True, index=True)
    order_id = fields.Many2one(related="installment_id.order_id", store=True)
    partner_id = fields.Many2one(related="installment_id.partner_id", store=True, string="Customer")
    user_id = fields.Many2one(related="installment_id.user_id", store=True, string="Salesperson")
    team_id = fields.Many2one(related="installment_id.team_id", store=True, string="Sales Team")
    company_id = fields.Many2one(related="installment_id.company_id", store=True, index=True)
    date = fields.Date(required=True, readonly=True)
    mail_id = fields.Many2one("mail.mail", readonly=True, string="Email", ondelete="set null")
    escalated = fields.Boolean(readonly=True)

    _sql_constraints = [
        (
            "installment_level_unique",
            "unique(installment_id, level_id)",
            "This reminder has already been sent for this installment.",
        ),
    ]

    @api.model
    def _collection_candidates_sql(self, today, batch_size=None, lock=False):
        """Installments to remind today and the level to send: the highest level reached
        that has not been sent (lower ones left behind are skipped, so a customer never gets
        five reminders at once). Customers flagged do-not-remind are left alone, and so is
        an installment with an open promise still to come (approved when it was dated past
        the company's horizon), unless the level escalates (escalation never waits on a
        promise) or a promise of that installment was broken already (a broken promise
        never holds back the next level)."""
        query = SQL(
            """
            SELECT i.id, lvl.id
              FROM sales_collection_installment i
              JOIN (VALUES %(today)s) AS t(company_id, today) ON t.company_id = i.company_id
              JOIN res_partner cp ON cp.id = i.commercial_partner_id
              JOIN sale_order so ON so.id = i.order_id AND so.state = 'sale'
              JOIN LATERAL (
                    SELECT l.id, l.escalate FROM sales_collection_reminder_level l
                     WHERE l.active AND (l.company_id IS NULL OR l.company_id = i.company_id)
                       AND i.date_due + l.days <= t.today
                  ORDER BY l.days DESC
                     LIMIT 1
              ) lvl ON TRUE
             WHERE i.state != 'paid'
               AND NOT COALESCE(cp.collection_no_remind, FALSE)
               AND NOT EXISTS (
                    SELECT 1 FROM sales_collection_reminder r
                     WHERE r.installment_id = i.id AND r.level_id = lvl.id)
               AND (
                    COALESCE(lvl.escalate, FALSE)
                    OR NOT EXISTS (
                        SELECT 1 FROM sales_collection_promise pr
                         WHERE pr.plan_id = i.plan_id AND pr.state = 'open'
                           AND pr.date_promised >= t.today
                           AND (pr.installment_id IS NULL OR pr.installment_id = i.id)
                           AND (NOT COALESCE(pr.needs_approval, FALSE)
                                OR pr.approved_by_id IS NOT NULL))
                    OR EXISTS (
                        SELECT 1 FROM sales_collection_promise pr
                         WHERE pr.plan_id = i.plan_id AND pr.state = 'broken'
                           AND (pr.installment_id IS NULL OR pr.installment_id = i.id))
               )
            ORDER BY i.id
            """,
            today=SQL(", ").join(SQL("(%s, %s::date)", cid, day) for cid, day in today.items()),
        )
        if batch_size:
            query = SQL("%s LIMIT %s", query, batch_size)
        if lock:
            query = SQL("%s FOR UPDATE OF i SKIP LOCKED", query)
        return query

    @api.model
    def _collection_send_batch(self, today, batch_size=500):
        """Send one batch of reminders; return (sent, remaining).

        Safe with several workers: the batch's installments are locked (``SKIP LOCKED``) and
        the log is unique per installment and level. Mails go out by level with one batch
        rendering, activities are created in one ``create``: the queries do not grow with
        the reminders.
        """
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(self._collection_candidates_sql(today, batch_size, lock=True))
        rows = cr.fetchall()
        if not rows:
            return 0, 0
        Installment = self.env["sales.collection.installment"].sudo()
        Level = self.env["sales.collection.reminder.level"].sudo()
        by_level = defaultdict(list)
        for installment_id, level_id in rows:
            by_level[level_id].append(installment_id)
        reminders, activities = [], []
        activity_model = self.env["ir.model"]._get_id("sales.collection.plan")
        finance, leaders = {}, {}
        for level_id, installment_ids in by_level.items():
            level = Level.browse(level_id)
            installments = Installment.browse(installment_ids)
            mails = level.template_id.sudo().send_mail_batch(installment_ids)
            mail_of = {mail.res_id: mail.id for mail in mails}
            for installment in installments:
                company = installment.company_id
                reminders.append(
                    {
                        "installment_id": installment.id,
                        "level_id": level.id,
                        "date": today[company.id],
                        "mail_id": mail_of.get(installment.id),
                        "escalated": level.escalate,
                    }
                )
                users = installment.user_id if level.create_activity else self.env["res.users"]
                if level.escalate:
                    if company.id not in finance:
                        finance[company.id] = company.collection_finance_user_id
                    key = (installment.user_id.id, company.id)
                    if key not in leaders:
                        leaders[key] = installment.user_id._sales_team_leader(company)
                    users |= leaders[key] | finance[company.id]
                for user in users:
                    activities.append(
                        self._collection_activity_vals(
                            installment, level, user, activity_model, today[company.id]
                        )
                    )
        self.sudo().create(reminders)
        if activities:
            # mail.activity names each record it is on: one read for all, not one per plan
            Installment.browse([row[0] for row in rows]).plan_id.mapped("display_name")
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                activities
            )
        cr.execute(SQL("SELECT count(*) FROM (%s) todo", self._collection_candidates_sql(today)))
        return len(rows), cr.fetchone()[0]

    @api.model
    def _collection_activity_vals(self, installment, level, user, res_model_id, day):
        env = installment.with_context(lang=user.lang).env
        return {
            "res_model_id": res_model_id,
            "res_id": installment.plan_id.id,
            "activity_type_id": (
                level.activity_type_id or self.env.ref("mail.mail_activity_data_todo")
            ).id,
            "user_id": user.id,
            "date_deadline": day,
            "summary": env._(
                "%(level)s: %(customer)s owes %(amount)s on %(order)s",
                level=level.with_context(lang=user.lang).name,
                customer=installment.partner_id.name,
                amount=installment.currency_id.format(installment.amount_residual),
                order=installment.order_id.name,
            ),
        }
