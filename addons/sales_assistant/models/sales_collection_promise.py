from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare

APPROVAL_FIELDS = {"needs_approval", "approved_by_id"}


class SalesCollectionPromise(models.Model):
    """A promise to pay (承诺付款): the customer said they would pay this much by that day.

    Kept once the plan has collected the promised amount on top of what it had when the
    promise was recorded; broken when its day passes first, and then the team leader is told
    with an activity (``_collection_break_passed``).
    """

    _name = "sales.collection.promise"
    _description = "Promise to Pay"
    _order = "date_promised desc, id desc"
    _rec_name = "plan_id"

    plan_id = fields.Many2one(
        "sales.collection.plan", required=True, ondelete="cascade", index=True
    )
    installment_id = fields.Many2one(
        "sales.collection.installment",
        domain="[('plan_id', '=', plan_id), ('state', '!=', 'paid')]",
        help="The installment the customer promised to pay, if one in particular.",
    )
    order_id = fields.Many2one(related="plan_id.order_id", store=True, index=True)
    partner_id = fields.Many2one(related="plan_id.partner_id", store=True, string="Customer")
    user_id = fields.Many2one(related="plan_id.user_id", store=True, string="Salesperson")
    team_id = fields.Many2one(related="plan_id.team_id", store=True, string="Sales Team")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    date_promised = fields.Date(string="Promised For", required=True)
    amount = fields.Monetary(required=True)
    promised_by = fields.Char(required=True, help="The customer's contact who made the promise.")
    note = fields.Text()
    paid_before = fields.Monetary(
        readonly=True, help="What the plan had collected when the promise was recorded."
    )
    recorded_by_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    state = fields.Selection(
        [("open", "Open"), ("kept", "Kept"), ("broken", "Broken")],
        default="open",
        required=True,
        readonly=True,
        index=True,
    )
    # dated past the company's horizon: the team leader approves it before it holds reminders
    needs_approval = fields.Boolean(
        readonly=True,
        help="Dated further ahead than the company's promise horizon: it holds no reminder "
        "until the team leader approves it.",
    )
    approved_by_id = fields.Many2one("res.users", readonly=True)

    @api.depends("plan_id")
    def _compute_display_name(self):
        for promise in self:
            promise.display_name = promise.plan_id.sudo().display_name or ""

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if {"state", "paid_before"} & set(vals):
                raise UserError(self.env._("Whether a promise is kept is not set by hand."))
            if APPROVAL_FIELDS & set(vals):
                raise UserError(
                    self.env._("A promise to pay is approved by the team leader, not typed in.")
                )
            vals["recorded_by_id"] = self.env.uid  # who recorded it is a fact, not an input
            plan = self.env["sales.collection.plan"].browse(vals.get("plan_id")).sudo()
            vals["paid_before"] = plan.amount_paid
        promises = super().create(vals_list)
        promises._check_promise()
        promises._promise_ask_approval()
        for promise in promises:
            # finance may record promises without the right to write the plan
            promise.plan_id.sudo().message_post(
                body=self.env._(
                    "%(who)s promised to pay %(amount)s by %(date)s.",
                    who=promise.promised_by,
                    amount=promise.currency_id.format(promise.amount),
                    date=promise.date_promised,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return promises

    def write(self, vals):
        if APPROVAL_FIELDS & set(vals) and not self.env.su:
            raise UserError(
                self.env._("A promise to pay is approved by the team leader, not typed in.")
            )
        if {"state", "paid_before", "recorded_by_id", "plan_id"} & set(vals):
            raise UserError(
                self.env._(
                    "A promise's plan, author and state cannot be changed; record a new one."
                )
            )
        if any(p.state != "open" for p in self):
            raise UserError(self.env._("A promise that was kept or broken cannot be changed."))
        result = super().write(vals)
        self._check_promise()
        if {"date_promised", "amount", "installment_id"} & set(vals):
            # what the leader approved was another promise
            self.sudo().write({"needs_approval": False, "approved_by_id": False})
            self._promise_ask_approval()
        return result

    def _promise_overdue(self):
        """What the promise must cover at least: the overdue amount of its installment, or
        of the plan's overdue installments when it names none."""
        self.ensure_one()
        installments = self.installment_id or self.plan_id.installment_ids
        return sum(i.amount_residual for i in installments.sudo() if i.state == "overdue")

    def _promise_horizon_end(self):
        company = self.plan_id.sudo().company_id
        return company._sales_today() + timedelta(days=company.collection_promise_horizon_days)

    def _promise_ask_approval(self):
        """A promise dated past the company's horizon waits for the team leader: flagged,
        and the leader gets an activity on the plan."""
        late = self.filtered(lambda p: p.date_promised > p._promise_horizon_end())
        if not late:
            return
        late.sudo().write({"needs_approval": True})
        todo = self.env.ref("mail.mail_activity_data_todo")
        plan_model = self.env["ir.model"]._get_id("sales.collection.plan")
        activities = []
        for promise in late.sudo():
            leader = promise.user_id._sales_team_leader(promise.company_id)
            if not leader or leader == promise.recorded_by_id:
                continue  # a sales manager approves it (``_promise_can_approve``)
            activities.append(
                {
                    "res_model_id": plan_model,
                    "res_id": promise.plan_id.id,
                    "activity_type_id": todo.id,
                    "user_id": leader.id,
                    "summary": promise.with_context(lang=leader.lang).env._(
                        "Approve a promise to pay by %(date)s: %(customer)s, %(order)s",
                        date=promise.date_promised,
                        customer=promise.partner_id.name,
                        order=promise.order_id.name,
                    ),
                    "date_deadline": promise.company_id._sales_today(),
                }
            )
        self.env["mail.activity"].sudo().create(activities)

    def _promise_can_approve(self, user):
        """The team leader of the promise's salesperson, or a sales manager; never who
        recorded the promise nor the salesperson of the order."""
        self.ensure_one()
        promise = self.sudo()
        if user in (promise.recorded_by_id | promise.user_id):
            return False
        leader = promise.user_id._sales_team_leader(promise.company_id)
        return user == leader or user.has_group("sales_team.group_sale_manager")

    def action_approve(self):
        """The team leader accepts a promise dated past the horizon: it holds reminders
        (never an escalation) until its day."""
        for promise in self:
            if not promise._promise_can_approve(self.env.user):
                raise AccessError(
                    self.env._(
                        "Only the team leader of %(user)s, or a sales manager, approves this "
                        "promise; not who recorded it.",
                        user=promise.sudo().user_id.name,
                    )
                )
            if promise.state != "open" or not promise.needs_approval:
                raise UserError(self.env._("This promise to pay waits for no approval."))
        self.sudo().write({"approved_by_id": self.env.uid})
        for promise in self:
            promise.plan_id.sudo().message_post(
                body=self.env._(
                    "%(who)s approved the promise to pay %(amount)s by %(date)s.",
                    who=self.env.user.name,
                    amount=promise.currency_id.format(promise.amount),
                    date=promise.date_promised,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _check_promise(self):
        for promise in self:
            plan = promise.plan_id.sudo()
            rounding = plan.currency_id.rounding
            today = plan.company_id._sales_today()
            if promise.date_promised < today:
                raise ValidationError(
                    self.env._(
                        "A promise to pay cannot be dated in the past (%s).", promise.date_promised
                    )
                )
            if float_compare(promise.amount, 0, precision_rounding=rounding) <= 0:
                raise ValidationError(self.env._("The promised amount must be positive."))
            if promise.installment_id and promise.installment_id.plan_id != promise.plan_id:
                raise ValidationError(self.env._("The installment belongs to another plan."))
            overdue = promise._promise_overdue()
            if float_compare(promise.amount, overdue, precision_rounding=rounding) < 0:
                raise ValidationError(
                    self.env._(
                        "A promise to pay covers at least what is overdue: %(overdue)s, not "
                        "%(amount)s.",
                        overdue=plan.currency_id.format(overdue),
                        amount=plan.currency_id.format(promise.amount),
                    )
                )
            due = (promise.installment_id or plan).sudo().amount_residual
            if float_compare(promise.amount, due, precision_rounding=rounding) > 0:
                raise ValidationError(
                    self.env._(
                        "The customer promised %(amount)s but only %(due)s is still due.",
                        amount=plan.currency_id.format(promise.amount),
                        due=plan.currency_id.format(due),
                    )
                )

    @api.model
    def _collection_mark_kept(self, plan_ids):
        """Open promises of these plans whose amount has been collected are kept."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE sales_collection_promise pr
                   SET state = 'kept', write_date = now() AT TIME ZONE 'UTC'
                  FROM sales_collection_plan p
                 WHERE p.id = pr.plan_id AND pr.state = 'open' AND pr.plan_id = ANY(%s)
                   AND (p.state = 'paid' OR p.amount_paid >= pr.paid_before + pr.amount - 0.005)
                """,
                list(plan_ids),
            )
        )
        if self.env.cr.rowcount:
            self.invalidate_model(["state"])

    @api.model
    def _collection_break_passed(self, today):
        """Open promises whose day has passed unpaid are broken: the team leader gets an
        activity. Idempotent: a broken promise is no longer open."""
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT pr.id FROM sales_collection_promise pr
                  JOIN (VALUES %s) AS t(company_id, today) ON t.company_id = pr.company_id
                 WHERE pr.state = 'open' AND pr.date_promised < t.today
                   FOR UPDATE OF pr SKIP LOCKED
                """,
                SQL(", ").join(SQL("(%s, %s::date)", cid, day) for cid, day in today.items()),
            )
        )
        promises = self.sudo().browse([row[0] for row in cr.fetchall()])
        if not promises:
            return promises
        cr.execute(
            SQL(
                "UPDATE sales_collection_promise SET state = 'broken' WHERE id = ANY(%s)",
                promises.ids,
            )
        )
        promises.invalidate_recordset(["state"])
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        plan_model = self.env["ir.model"]._get_id("sales.collection.plan")
        activities = []
        leaders = {}
        for promise in promises:
            key = (promise.user_id.id, promise.company_id.id)
            if key not in leaders:
                leaders[key] = promise.user_id._sales_team_leader(promise.company_id)
            leader = leaders[key]
            activities.append(
                {
                    "res_model_id": plan_model,
                    "res_id": promise.plan_id.id,
                    "activity_type_id": activity_type.id,
                    "user_id": (leader or promise.user_id or self.env.user).id,
                    "summary": promise.with_context(lang=leader.lang).env._(
                        "Broken promise to pay: %(customer)s, %(order)s",
                        customer=promise.partner_id.name,
                        order=promise.order_id.name,
                    ),
                    "note": promise.with_context(lang=leader.lang).env._(
                        "%(who)s promised %(amount)s by %(date)s and did not pay.",
                        who=promise.promised_by,
                        amount=promise.currency_id.format(promise.amount),
                        date=promise.date_promised,
                    ),
                    "date_deadline": today[promise.company_id.id],
                }
            )
        self.env["mail.activity"].sudo().create(activities)
        return promises
