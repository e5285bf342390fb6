from collections import defaultdict

from odoo import api, fields, models
from odoo.addons.sales_compliance.tools.actions import form_action
from odoo.addons.sales_compliance.tools.batches import run_batches
from odoo.addons.sales_compliance.tools.deferred_checks import check_or_defer, deferred_checks
from odoo.addons.sales_targets.tools.invoice_orders import order_parts_of_moves
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare, float_is_zero
from odoo.tools.mail import generate_tracking_message_id

# What has been paid, invoiced and credited on each order, in the order's currency. An invoice
# shared by several orders is split between them pro rata (``sales_targets``' one rule:
# ``tools/invoice_orders.py``). Payments are what ``sales_targets``' collected cash counts:
# reconciliations of customer invoices with payments or bank statement lines (write-offs
# settle the debt too).
ORDER_MONEY_SQL = """
    WITH shares AS (
        SELECT parts.order_id, m.id AS move_id, m.move_type, parts.part,
               parts.weight AS share
          FROM (%(order_parts)s) parts
          JOIN account_move m ON m.id = parts.move_id
         WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
    ), billed AS (
        SELECT order_id,
               SUM(part) FILTER (WHERE move_type = 'out_invoice') AS invoiced,
               SUM(part) FILTER (WHERE move_type = 'out_refund') AS credited
          FROM shares
      GROUP BY order_id
    ), paid AS (
        SELECT s.order_id, SUM(apr.debit_amount_currency * s.share) AS amount
          FROM shares s
          JOIN account_move_line il ON il.move_id = s.move_id
          JOIN account_partial_reconcile apr ON apr.debit_move_id = il.id
          JOIN account_move_line pl ON pl.id = apr.credit_move_id
          JOIN account_move pm ON pm.id = pl.move_id
         WHERE s.move_type = 'out_invoice' AND pm.move_type = 'entry'
           AND (pm.origin_payment_id IS NOT NULL OR pm.statement_line_id IS NOT NULL)
      GROUP BY s.order_id
    )
    SELECT o.id, COALESCE(billed.invoiced, 0), COALESCE(billed.credited, 0),
           COALESCE(paid.amount, 0)
      FROM unnest(%(orders)s) AS o(id)
 LEFT JOIN billed ON billed.order_id = o.id
 LEFT JOIN paid ON paid.order_id = o.id
"""

REFRESH_CHUNK = 5000
# Written by the refresh from the accounting (or fixed at creation), never by users.
COMPUTED_FIELDS = {
    "order_id",
    "amount_invoiced",
    "amount_credited",
    "amount_paid",
    "amount_residual",
    "state",
}


class SalesCollectionPlan(models.Model):
    """The collection plan (回款计划) of a confirmed order: when and how the customer pays.

    Its installments are generated from the order's payment terms and deposit; their state is
    never booked by hand but follows the payments reconciled with the order's invoices
    (``_collection_refresh``): so the plan is a view of the accounting, not a second ledger.
    """

    _name = "sales.collection.plan"
    _description = "Collection Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _rec_name = "order_id"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order", required=True, ondelete="cascade", index=True, readonly=True
    )
    partner_id = fields.Many2one(related="order_id.partner_id", store=True, string="Customer")
    commercial_partner_id = fields.Many2one(
        related="order_id.partner_id.commercial_partner_id", store=True, string="Customer Entity"
    )
    user_id = fields.Many2one(related="order_id.user_id", store=True, string="Salesperson")
    team_id = fields.Many2one(related="order_id.team_id", store=True, string="Sales Team")
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="order_id.currency_id", store=True)
    amount_total = fields.Monetary(related="order_id.amount_total", string="Order Total")
    installment_ids = fields.One2many(
        "sales.collection.installment", "plan_id", string="Installments", copy=False
    )
    promise_ids = fields.One2many("sales.collection.promise", "plan_id", string="Promises")
    reminder_ids = fields.One2many("sales.collection.reminder", "plan_id", string="Reminders")
    amount_planned = fields.Monetary(compute="_compute_amount_planned", string="Planned")
    amount_invoiced = fields.Monetary(string="Invoiced", readonly=True)
    amount_credited = fields.Monetary(
        string="Credit Notes", readonly=True, help="Credit notes reduce what the customer owes."
    )
    amount_paid = fields.Monetary(string="Collected", readonly=True)
    amount_residual = fields.Monetary(string="Still to Collect", readonly=True)
    state = fields.Selection(
        [("open", "Open"), ("paid", "Fully Collected")],
        default="open",
        readonly=True,
        tracking=True,
        index=True,
    )
    is_locked = fields.Boolean(
        compute="_compute_is_locked",
        help="Once the customer has paid something, the installments can no longer be edited.",
    )

    _sql_constraints = [
        ("order_unique", "unique(order_id)", "An order has one collection plan."),
    ]

    @api.depends("installment_ids.amount")
    def _compute_amount_planned(self):
        for plan in self:
            plan.amount_planned = sum(plan.installment_ids.mapped("amount"))

    @api.depends("amount_paid", "amount_credited")
    def _compute_is_locked(self):
        for plan in self:
            plan.is_locked = not (
                float_is_zero(plan.amount_paid, precision_rounding=plan.currency_id.rounding)
                and float_is_zero(
                    plan.amount_credited, precision_rounding=plan.currency_id.rounding
                )
            )

    @api.depends("order_id")
    def _compute_display_name(self):
        # the order's name as a many2one shows it: a team leader reads the team's plans,
        # not always their orders
        for plan in self:
            plan.display_name = plan.order_id.sudo().display_name or ""

    # ------------------------------------------------------------------
    # Checks and edits
    # ------------------------------------------------------------------
    def _check_total(self):
        """Installments add up to the order total, each positive."""
        for plan in self:
            rounding = plan.currency_id.rounding
            if any(
                float_compare(i.amount, 0, precision_rounding=rounding) <= 0
                for i in plan.installment_ids
            ):
                raise ValidationError(
                    self.env._(
                        "Every installment of the collection plan of %(order)s must be a "
                        "positive amount.",
                        order=plan.order_id.name,
                    )
                )
            if float_compare(plan.amount_planned, plan.amount_total, precision_rounding=rounding):
                raise ValidationError(
                    self.env._(
                        "The installments of %(order)s add up to %(planned)s, not to the order "
                        "total %(total)s: adjust them so that they match.",
                        order=plan.order_id.name,
                        planned=plan.currency_id.format(plan.amount_planned),
                        total=plan.currency_id.format(plan.amount_total),
                    )
                )

    @api.constrains("installment_ids")
    def _check_installments(self):
        check_or_defer(self, "_check_total")

    def _check_editable(self):
        locked = self.filtered("is_locked")
        if locked:
            raise UserError(
                self.env._(
                    "The customer has already paid part of %(order)s: its collection plan can "
                    "no longer be changed.",
                    order=locked[0].order_id.name,
                )
            )

    def write(self, vals):
        if COMPUTED_FIELDS & set(vals) and not self.env.su:
            raise UserError(
                self.env._(
                    "What a collection plan has collected follows the accounting, and its order "
                    "is fixed: they cannot be changed by hand."
                )
            )
        if "installment_ids" in vals:
            self._check_editable()
        with deferred_checks(self.env):
            return super().write(vals)

    def action_regenerate(self):
        """Rebuild the installments from the order's payment terms and deposit (nothing paid)."""
        self._check_editable()
        self.check_access("write")
        for plan in self:
            commands = [fields.Command.clear()] + [
                fields.Command.create(vals) for vals in plan.order_id._collection_installment_vals()
            ]
            plan.write({"installment_ids": commands})
        self._collection_refresh()
        return True

    def action_record_promise(self):
        self.ensure_one()
        return form_action(
            "sales.collection.promise",
            name=self.env._("Promise to Pay"),
            target="new",
            context={
                "default_plan_id": self.id,
                "default_date_promised": fields.Date.add(self.company_id._sales_today(), days=7),
                "default_amount": self.amount_residual,
                "default_promised_by": self.partner_id.name,
            },
        )

    # ------------------------------------------------------------------
    # State: computed from the accounting, set-based
    # ------------------------------------------------------------------
    @api.model
    def _collection_today(self, companies):
        """Today in each company's timezone: {company_id: date}."""
        return {company.id: company._sales_today() for company in companies}

    def _collection_refresh(self, today=None):
        """Recompute paid, credited and state of these plans and their installments.

        Three queries per chunk of plans whatever their number: the money per order, the
        installments, and one UPDATE of the rows that changed (none when nothing changed, so
        a rerun writes nothing). Paid amounts go to the installments in due-date order;
        credit notes reduce the last installments first.
        """
        plans = self.sudo().exists()
        if not plans:
            return 0
        self.env.flush_all()
        if today is None:
            today = self._collection_today(plans.company_id)
        changed = 0
        for start in range(0, len(plans), REFRESH_CHUNK):
            changed += plans[start : start + REFRESH_CHUNK]._collection_refresh_chunk(today)
        return changed

    def _collection_refresh_chunk(self, today):
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT p.id, p.order_id, p.company_id, p.amount_invoiced, p.amount_credited,
                       p.amount_paid, p.amount_residual, p.state, c.rounding
                  FROM sales_collection_plan p
                  JOIN res_currency c ON c.id = p.currency_id
                 WHERE p.id = ANY(%s)
                """,
                self.ids,
            )
        )
        plan_rows = {row[0]: row for row in cr.fetchall()}
        order_ids = [row[1] for row in plan_rows.values()]
        order_parts = order_parts_of_moves(SQL("sol.order_id = ANY(%s)", order_ids))
        cr.execute(SQL(ORDER_MONEY_SQL, orders=order_ids, order_parts=order_parts))
        money = {row[0]: row[1:] for row in cr.fetchall()}
        cr.execute(
            SQL(
                """
                SELECT id, plan_id, date_due, amount, amount_invoiced, amount_credited,
                       amount_paid, amount_residual, state
                  FROM sales_collection_installment
                 WHERE plan_id = ANY(%s)
              ORDER BY plan_id, date_due, sequence, id
                """,
                self.ids,
            )
        )
        installments = defaultdict(list)
        for row in cr.fetchall():
            installments[row[1]].append(row)

        installment_updates, plan_updates = [], []
        for plan_id, (__, order_id, company_id, *old, rounding) in plan_rows.items():
            invoiced, credited, paid = (round(v, 6) for v in money.get(order_id, (0, 0, 0)))
            rows = installments[plan_id]
            day = today[company_id]
            credit_left, invoice_left, paid_left = credited, invoiced, paid
            credit_of = {}
            for row in reversed(rows):  # credit notes reduce the last installments first
                credit_of[row[0]] = min(credit_left, row[3])
                credit_left -= credit_of[row[0]]
            total_due = 0.0
            for iid, __, date_due, amount, *old_values in rows:
                due = amount - credit_of[iid]
                total_due += due
                inv = min(invoice_left, due)
                invoice_left -= inv
                pay = min(paid_left, due)
                paid_left -= pay
                if float_compare(pay, due, precision_rounding=rounding) >= 0:
                    state = "paid"
                elif date_due < day:
                    state = "overdue"
                elif not float_is_zero(pay, precision_rounding=rounding):
                    state = "partial"
                elif date_due == day or not float_is_zero(inv, precision_rounding=rounding):
                    state = "due"
                else:
                    state = "planned"
                new = [inv, credit_of[iid], pay, max(due - pay, 0.0), state]
                if not _same(old_values, new, rounding):
                    installment_updates.append((iid, *new))
            residual = max(total_due - paid, 0.0)
            state = (
                "paid" if rows and float_is_zero(residual, precision_rounding=rounding) else "open"
            )
            new = [invoiced, credited, paid, residual, state]
            if not _same(old, new, rounding):
                plan_updates.append((plan_id, *new))

        if installment_updates:
            _write_collection_amounts(self.env["sales.collection.installment"], installment_updates)
        if plan_updates:
            _write_collection_amounts(self, plan_updates)
            self.invalidate_model(["is_locked"])
            self._collection_track_states(
                {
                    row[0]: (plan_rows[row[0]][7], row[5])
                    for row in plan_updates
                    if plan_rows[row[0]][7] != row[5]
                }
            )
            self.env["sales.collection.promise"]._collection_mark_kept(
                [row[0] for row in plan_updates]
            )
        return len(installment_updates) + len(plan_updates)

    def _collection_track_states(self, changes):
        """The tracking of ``state``, which the refresh writes in SQL: for each plan of
        ``changes`` ({plan id: (old state, new state)}), a tracking message in its chatter
        and an inbox notification to its followers of the subtype, the messages of all the
        plans created at once and their notifications too."""
        if not changes:
            return
        subtype = self.env.ref("sales_assistant.mt_collection_plan_state")
        field = self.env["ir.model.fields"]._get(self._name, "state")
        labels = dict(self._fields["state"]._description_selection(self.env))
        author = self.env.ref("base.partner_root")
        # every value given, as ``_message_log_batch`` does: no lookup of each plan
        common = {
            "model": self._name,
            "message_type": "notification",
            "subtype_id": subtype.id,
            "is_internal": True,
            "author_id": author.id,
            "email_from": author.email_formatted,
            "reply_to": self.env["mail.thread"]._notify_get_reply_to(
                default=author.email_formatted
            )[False],
            "record_alias_domain_id": False,
            "record_company_id": False,
            "record_name": False,
            "email_add_signature": False,
            "body": "",
        }
        messages = (
            self.env["mail.message"]
            .sudo()
            .create(
                [
                    dict(
                        common,
                        res_id=plan_id,
                        message_id=generate_tracking_message_id("message-notify"),
                    )
                    for plan_id in changes
                ]
            )
        )
        self.env["mail.tracking.value"].sudo().create(
            [
                {
                    "mail_message_id": message.id,
                    "field_id": field.id,
                    "old_value_char": labels.get(changes[message.res_id][0]),
                    "new_value_char": labels.get(changes[message.res_id][1]),
                }
                for message in messages
            ]
        )
        followers = (
            self.env["mail.followers"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", list(changes)),
                    ("subtype_ids", "in", subtype.ids),
                    ("partner_id.user_ids.share", "=", False),
                ]
            )
        )
        message_of = {message.res_id: message for message in messages}
        self.env["mail.notification"].sudo().create(
            [
                {
                    "mail_message_id": message_of[follower.res_id].id,
                    "res_partner_id": follower.partner_id.id,
                    "notification_type": "inbox",
                    "is_read": False,
                }
                for follower in followers
                if follower.partner_id != author
            ]
        )

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _collection_open_plans(self):
        return self.sudo().search([("state", "=", "open")])

    @api.model
    def _collection_plans_to_move(self, today):
        """The plans an installment of which changes state because a day passed: due today
        while still planned, or past due and not yet overdue. Payments, invoices and credit
        notes move their plans at once (``account.partial.reconcile``, ``account.move``), so
        the daily run only has the dates to follow, in one indexed query."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT i.plan_id
                  FROM sales_collection_installment i
                  JOIN (VALUES %s) AS t(company_id, today) ON t.company_id = i.company_id
                 WHERE i.state IN ('planned', 'due', 'partial')
                   AND (i.date_due < t.today OR (i.date_due = t.today AND i.state = 'planned'))
                """,
                SQL(", ").join(SQL("(%s, %s::date)", cid, day) for cid, day in today.items()),
            )
        )
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _collection_step(self, batch_size=500, today=None):
        """One step of the daily collection run: states, broken promises, one batch of
        reminders. Returns (reminders sent, reminders remaining). ``today``: {company id:
        date}, each company's own today by default."""
        if today is None:
            today = self._collection_today(
                self.env["res.company"].sudo().search([("active", "=", True)])
            )
        self._collection_plans_to_move(today)._collection_refresh(today)
        self.env["sales.collection.promise"]._collection_break_passed(today)
        return self.env["sales.collection.reminder"]._collection_send_batch(today, batch_size)

    @api.model
    def _cron_collection(self):
        """Daily cron: move states, mark broken promises and send one batch of reminders;
        the cron runner commits and calls again at once while reminders remain."""
        batch_size = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("sales_assistant.collection_batch_size", 500)
        )
        done, remaining = self._collection_step(batch_size)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _collection_run(self, batch_size=500, today=None):
        """The whole daily run in the current transaction (scripts, tests, benchmark)."""
        return run_batches(self._collection_step, batch_size, today)


def _same(old, new, rounding):
    """Whether stored values equal the computed ones (amounts compared at the rounding)."""
    for before, after in zip(old, new, strict=True):
        if isinstance(after, str) or isinstance(before, str) or before is None:
            if before != after:
                return False
        elif float_compare(before, after, precision_rounding=rounding):
            return False
    return True


def _write_collection_amounts(records, rows):
    """One UPDATE of the amounts and state of ``rows`` (id, invoiced, credited, paid, residual,
    state) in the table of ``records``' model, then their cache: plans and installments alike."""
    records.env.cr.execute(
        SQL(
            """
            UPDATE %s t
               SET amount_invoiced = v.invoiced, amount_credited = v.credited,
                   amount_paid = v.paid, amount_residual = v.residual, state = v.state,
                   write_date = now() AT TIME ZONE 'UTC'
              FROM (VALUES %s) AS v(id, invoiced, credited, paid, residual, state)
             WHERE t.id = v.id
            """,
            SQL.identifier(records._table),
            SQL(", ").join(
                SQL("(%s, %s::numeric, %s::numeric, %s::numeric, %s::numeric, %s)", *row)
                for row in rows
            ),
        )
    )
    records.invalidate_model(
        ["amount_invoiced", "amount_credited", "amount_paid", "amount_residual", "state"]
    )
