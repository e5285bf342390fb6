import csv
import io
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .sales_target_metric import CASH_SHARE, CASH_SHARE_OF_PAYMENT, SALE_ORDER_OF_MOVE

# Context value with which the workflow actions change a statement's state. A plain object:
# no client can send it, so draft -> confirmed -> paid only goes through the actions.
_STATE_CHANGE = object()
_STATE_CHANGE_KEY = "sales_commission_statement_state_change"

# Context value with which ``_generate_statements`` creates statements it checked for overlaps
# itself (same plain-object trick: a client cannot send it).
_OVERLAP_CHECKED = object()
_OVERLAP_CHECKED_KEY = "sales_commission_statement_overlap_checked"

# advisory lock key of the statement cron ("sales_targets" statements)
CRON_LOCK_KEY = 5_417_180_041

LINE_COLUMNS = (
    "statement_id",
    "line_type",
    "res_model",
    "res_id",
    "doc_name",
    "date",
    "share",
    "base_amount",
    "rate",
    "amount",
    "clawback_origin",
    "company_id",
    "source_ref",
    "clawback_kind",
)
TOTAL_FIELDS = (
    "base_amount",
    "target_value",
    "achievement_pct",
    "commission_amount",
    "clawback_amount",
    "next_tier_pct",
    "next_tier_gap",
    "next_tier_amount",
)


class SalesCommissionStatement(models.Model):
    """Commission statement of one salesperson, one plan and one period (提成结算单)."""

    _name = "sales.commission.statement"
    _description = "Commission Statement"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, user_id, id"

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one("res.users", string="Salesperson", required=True, index=True)
    team_id = fields.Many2one(
        "crm.team", compute="_compute_team_id", store=True, index=True, string="Sales Team"
    )
    scheme_id = fields.Many2one("sales.commission.scheme", string="Commission Plan", required=True)
    company_id = fields.Many2one(related="scheme_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed"), ("paid", "Paid")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many("sales.commission.statement.line", "statement_id", string="Lines")
    base_amount = fields.Monetary(readonly=True)
    target_value = fields.Monetary("Target", readonly=True)
    achievement_pct = fields.Float("Achievement (%)", readonly=True, aggregator="avg")
    commission_amount = fields.Monetary("Earned Commission", readonly=True)
    clawback_amount = fields.Monetary("Clawbacks", readonly=True)
    adjustment_amount = fields.Monetary(
        "Adjustments", compute="_compute_totals", store=True, readonly=True
    )
    total_amount = fields.Monetary("Total", compute="_compute_totals", store=True, readonly=True)
    next_tier_pct = fields.Float("Next Tier At (%)", readonly=True)
    next_tier_gap = fields.Monetary("Still Needed for Next Tier", readonly=True)
    next_tier_amount = fields.Monetary("Commission at Next Tier", readonly=True)
    computed_at = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "unique_period",
            "UNIQUE (user_id, scheme_id, date_from, date_to)",
            "There is already a statement for this salesperson, plan and period.",
        ),
        # Overlapping periods would pay the same sale twice (January, then Q1). Ranges of one
        # value stand for equality: no btree_gist extension is needed. Checked at commit, so
        # that within a transaction ``_check_overlap`` explains the refusal first; at commit it
        # holds under concurrency, where that check cannot see the other transaction's rows.
        (
            "no_overlap",
            "EXCLUDE USING gist (int4range(user_id, user_id, '[]') WITH =, "
            "int4range(scheme_id, scheme_id, '[]') WITH =, "
            "daterange(date_from, date_to, '[]') WITH &&) DEFERRABLE INITIALLY DEFERRED",
            "A salesperson's commission statements of one commission plan cannot overlap: "
            "the same sales would be paid twice.",
        ),
        ("date_check", "CHECK (date_from <= date_to)", "A statement must end after it starts."),
    ]

    @api.depends("user_id", "date_from", "scheme_id")
    def _compute_name(self):
        for statement in self:
            statement.name = (
                f"{statement.user_id.name or ''} {statement.date_from or ''} "
                f"({statement.scheme_id.name or ''})"
            )

    @api.depends("user_id")
    def _compute_team_id(self):
        for statement in self:
            statement.team_id = statement.user_id.sale_team_id

    @api.depends("commission_amount", "clawback_amount", "line_ids.amount", "line_ids.line_type")
    def _compute_totals(self):
        # one grouped query: statements may have tens of thousands of computed lines
        adjustments = (
            dict(
                self.env["sales.commission.statement.line"]._read_group(
                    [("statement_id", "in", self.ids), ("line_type", "=", "adjustment")],
                    ["statement_id"],
                    ["amount:sum"],
                )
            )
            if self.ids
            else {}
        )
        for statement in self:
            statement.adjustment_amount = adjustments.get(statement, 0.0)
            statement.total_amount = (
                statement.commission_amount
                + statement.clawback_amount
                + statement.adjustment_amount
            )

    # ------------------------------------------------------------------
    # Protection
    # ------------------------------------------------------------------
    @api.constrains("user_id", "scheme_id", "date_from", "date_to")
    def _check_overlap(self):
        """A salesperson's statements of one commission plan may not overlap, or a sale would
        be paid twice (January, then again in Q1). One query for all the checked statements;
        the ``no_overlap`` exclusion constraint holds the rule under concurrency as well.
        ``_generate_statements`` creates only statements it found no overlap for and skips
        this query, so that generating a month's statements costs no more queries."""
        if self.env.context.get(_OVERLAP_CHECKED_KEY) is _OVERLAP_CHECKED:
            return
        self.flush_model(["user_id", "scheme_id", "date_from", "date_to"])
        self.env.cr.execute(
            SQL(
                """
                SELECT s.id, o.id
                  FROM sales_commission_statement s
                  JOIN sales_commission_statement o
                    ON o.id != s.id AND o.user_id = s.user_id AND o.scheme_id = s.scheme_id
                   AND o.date_from <= s.date_to AND o.date_to >= s.date_from
                 WHERE s.id IN %s
                 LIMIT 1
                """,
                tuple(self.ids),
            )
        )
        clash = self.env.cr.fetchone()
        if clash:
            statement, other = self.browse(clash[0]).sudo(), self.browse(clash[1]).sudo()
            raise ValidationError(
                self.env._(
                    "%(user)s already has a commission statement of plan %(plan)s from "
                    "%(start)s to %(end)s: a statement from %(new_start)s to %(new_end)s would "
                    "pay the same sales twice. Choose a period that does not overlap it.",
                    user=statement.user_id.name,
                    plan=statement.scheme_id.name,
                    start=other.date_from,
                    end=other.date_to,
                    new_start=statement.date_from,
                    new_end=statement.date_to,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("state", "draft") != "draft" for vals in vals_list):
            raise UserError(self.env._("A commission statement starts as a draft."))
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals and self.env.context.get(_STATE_CHANGE_KEY) is not _STATE_CHANGE:
            if any(statement.state != vals["state"] for statement in self):
                raise UserError(
                    self.env._(
                        "The state of a commission statement only moves forward, with the "
                        "Confirm and Mark as Paid buttons."
                    )
                )
        if any(name != "state" and not name.startswith(("message_", "activity_")) for name in vals):
            self._check_draft()
        return super().write(vals)

    def _set_state(self, state):
        self.with_context(**{_STATE_CHANGE_KEY: _STATE_CHANGE}).write({"state": state})

    def _check_draft(self):
        closed = self.filtered(lambda s: s.state != "draft")
        if closed:
            raise UserError(
                self.env._("Statement %s is confirmed: it cannot change.", closed[0].display_name)
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_draft_only(self):
        self._check_draft()

    def _check_manager(self):
        if not self.env.user.has_group("sales_targets.group_targets_manager"):
            raise UserError(self.env._("Only sales target managers can confirm or pay statements."))

    def action_confirm(self):
        self._check_manager()
        self._check_draft()
        self._set_state("confirmed")

    def action_paid(self):
        self._check_manager()
        if any(s.state != "confirmed" for s in self):
            raise UserError(self.env._("Only confirmed statements can be paid."))
        self._set_state("paid")

    def action_recompute(self):
        # set-based SQL over the plan's period: managers only; a salesperson computes their
        # own current month with "My Commission" (_earned_to_date)
        if not self.env.user.has_group("sales_targets.group_targets_manager"):
            raise UserError(
                self.env._(
                    "Only sales target managers recompute statements: see your current month "
                    "under My Commission, or ask your manager."
                )
            )
        self._check_draft()
        self._compute_statements()
        return True

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------
    @api.model
    def _generate_statements(self, date_from, date_to, companies=None):
        """Create the missing draft statements of every assigned salesperson for the period and
        (re)compute all draft statements of the period. Entry point for the cron and the
        benchmark: the number of queries does not depend on the number of lines.

        A salesperson who already has a statement of the plan overlapping the period (e.g. a
        quarterly one) gets no new statement: the same sales are never paid twice."""
        companies = companies or self.env.companies
        schemes = self.env["sales.commission.scheme"].search([("company_id", "in", companies.ids)])
        assigned = schemes._assigned_users(date_from, date_to)
        existing = self.search(
            [
                ("scheme_id", "in", schemes.ids),
                ("date_from", "<=", date_to),
                ("date_to", ">=", date_from),
            ]
        )
        have = {(s.scheme_id.id, s.user_id.id) for s in existing}
        created = self.with_context(**{_OVERLAP_CHECKED_KEY: _OVERLAP_CHECKED}).create(
            [
                {
                    "scheme_id": scheme.id,
                    "user_id": user.id,
                    "date_from": date_from,
                    "date_to": date_to,
                }
                for scheme, users in assigned.items()
                for user in users
                if (scheme.id, user.id) not in have
            ]
        )
        statements = created.with_env(self.env) | existing.filtered(
            lambda s: s.date_from == date_from and s.date_to == date_to and s.state == "draft"
        )
        statements._compute_statements()
        return statements

    @api.model
    def _cron_generate_statements(self):
        """Daily: draft statements of the previous month (idempotent), the month as each
        company's timezone sees it.

        A transaction-level advisory lock keeps two workers from computing at the same time.
        """
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", CRON_LOCK_KEY))
        if not self.env.cr.fetchone()[0]:
            return self.browse()
        by_month = defaultdict(lambda: self.env["res.company"])
        for company in self.env["res.company"].sudo().search([("active", "=", True)]):
            by_month[company._sales_targets_today().replace(day=1)] |= company
        statements = self.browse()
        for first, companies in by_month.items():
            statements |= self._generate_statements(
                first - relativedelta(months=1),
                first - relativedelta(days=1),
                companies=companies,
            )
        return statements

    def _compute_statements(self):
        """Set-based computation of draft statements.

        Per plan and period: one query for the commissionable documents, one grouped read of
        the targets and one query for clawbacks; lines are inserted and totals updated with
        one statement per 5,000 rows.
        """
        self._check_draft()
        if not self:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "DELETE FROM sales_commission_statement_line "
                "WHERE statement_id IN %s AND line_type != 'adjustment'",
                tuple(self.ids),
            )
        )
        groups = defaultdict(lambda: self.browse())
        for statement in self:
            groups[(statement.scheme_id, statement.date_from, statement.date_to)] |= statement
        line_rows, totals = [], []
        for (scheme, date_from, date_to), statements in groups.items():
            rows, stats = statements._compute_group(scheme, date_from, date_to)
            line_rows += rows
            totals += stats
        self._insert_lines(line_rows)
        self._write_totals(totals)
        self.env["sales.commission.statement.line"].invalidate_model()
        self.invalidate_recordset()
        self.modified(["line_ids"])
        return True

    def _compute_group(self, scheme, date_from, date_to):
        by_user = {s.user_id.id: s for s in self}
        user_ids = list(by_user)
        company = scheme.company_id
        targets = self._targets_by_user(scheme, date_from, date_to, user_ids)
        documents = defaultdict(list)
        base = defaultdict(float)
        clawbacks = self._clawbacks(scheme, date_from, date_to, user_ids)
        if scheme.base == "achievement":
            # earlier statements, whose bonus is measured again on today's facts
            earlier = self.search(
                [
                    ("scheme_id", "=", scheme.id),
                    ("user_id", "in", user_ids),
                    ("date_to", "<", date_from),
                ]
            )
            paid = earlier.filtered(lambda s: s.state != "draft")
            # the metric's actual for the period, by the same function as target achievement
            series = scheme.metric_id._fetch_series(
                min([date_from, *paid.mapped("date_from")]), date_to, company
            )
            for user_id in by_user:
                if ("user", user_id) in series:
                    base[user_id] = series[("user", user_id)].total(date_from, date_to)
            self._bonus_clawbacks(scheme, earlier, paid, series, clawbacks, date_from, date_to)
            for user_id in by_user:
                if user_id in targets or base[user_id]:
                    documents[user_id].append(
                        (
                            "sales.target",
                            0,
                            targets.get(user_id, (0, ""))[1],
                            date_to,
                            100.0,
                            base[user_id],
                        )
                    )
        else:
            source = scheme.metric_id._source_sql(date_from, date_to, company, user_ids)
            self.env.cr.execute(
                SQL("SELECT user_id, SUM(amount) FROM (%s) src GROUP BY user_id", source)
            )
            for user_id, amount in self.env.cr.fetchall():
                base[user_id] = float(amount or 0.0)
        rows, totals, ratios = [], [], []
        for user_id, statement in by_user.items():
            target_value = targets.get(user_id, (0.0, ""))[0]
            result = scheme._commission(base[user_id], target_value)
            ratio = result["amount"] / base[user_id] if base[user_id] else 0.0
            ratios.append((user_id, statement.id, ratio))
            for res_model, res_id, doc_name, day, share, amount in documents[user_id]:
                rows.append(
                    (
                        statement.id,
                        "commission",
                        res_model,
                        res_id or None,
                        doc_name,
                        day,
                        share,
                        amount,
                        ratio * 100.0,
                        result["amount"],
                        None,
                        company.id,
                        None,
                        None,
                    )
                )
            clawback_total = 0.0
            for clawback in clawbacks.get(user_id, []):
                origin, day, doc_name, res_model, res_id, amount, kind = clawback
                rows.append(
                    (
                        statement.id,
                        "clawback",
                        res_model,
                        res_id,
                        doc_name,
                        day,
                        100.0,
                        0.0,
                        0.0,
                        amount,
                        origin,
                        company.id,
                        None,
                        kind,
                    )
                )
                clawback_total += amount
            totals.append(
                (
                    statement.id,
                    base[user_id],
                    target_value,
                    result["achievement"],
                    result["amount"],
                    clawback_total,
                    result["next_pct"],
                    result["next_gap"],
                    result["next_amount"],
                )
            )
        if scheme.base != "achievement" and ratios:
            self._insert_document_lines(source, ratios, company)
        return rows, totals

    def _bonus_clawbacks(self, scheme, earlier, paid, series, clawbacks, date_from, date_to):
        """Add to ``clawbacks`` what achievement bonuses of the confirmed or paid statements
        ``paid`` overpaid, measured again on today's facts (``series``): orders cancelled or
        refunds posted since lower the achievement. Taken once, by the earliest draft statement
        after the paid one (``earlier`` holds the drafts), net of what was taken back before.
        """
        if not paid:
            return
        origins = {statement: f"{statement._name},{statement.id}" for statement in paid}
        taken = dict(
            self.env["sales.commission.statement.line"]._read_group(
                [
                    ("clawback_origin", "in", list(origins.values())),
                    ("statement_id", "not in", self.ids),
                ],
                ["clawback_origin"],
                ["amount:sum"],
            )
        )
        drafts = earlier - paid
        rounding = scheme.company_id.currency_id
        for statement, origin in origins.items():
            if drafts.filtered(
                lambda d, s=statement: d.user_id == s.user_id and d.date_from > s.date_to
            ):
                continue  # an earlier draft statement takes it
            history = series.get(("user", statement.user_id.id))
            actual = history.total(statement.date_from, statement.date_to) if history else 0.0
            now = scheme._commission(actual, statement.target_value)["amount"]
            owed = now - statement.commission_amount - taken.get(origin, 0.0)
            if rounding.compare_amounts(owed, 0.0) < 0:
                clawbacks[statement.user_id.id].append(
                    (
                        origin,
                        date_to,
                        statement.name,
                        statement._name,
                        statement.id,
                        owed,
                        "bonus",
                    )
                )

    def _targets_by_user(self, scheme, date_from, date_to, user_ids):
        """{user_id: (target value, name)} of the salesperson targets of the plan's
        metric covering exactly the period, in approved or locked target plans."""
        if not scheme.metric_id:
            return {}
        groups = (
            self.env["sales.target"]
            .sudo()
            ._read_group(
                [
                    ("metric_id", "=", scheme.metric_id.id),
                    ("company_id", "=", scheme.company_id.id),
                    ("assignee_type", "=", "user"),
                    ("user_id", "in", user_ids),
                    ("date_from", "=", date_from),
                    ("date_to", "=", date_to),
                    ("plan_id.state", "in", ("approved", "locked")),
                ],
                ["user_id"],
                ["target_value:sum", "name:max"],
            )
        )
        return {user.id: (value, name) for user, value, name in groups}

    def _clawbacks(self, scheme, date_from, date_to, user_ids):
        """Negative lines taking back commission paid in earlier confirmed or paid statements
        of the same plan, in one query for the plan and period.

        Two kinds of reasons, each taken back once (``clawback_origin``):

        - dated events up to the end of the period, even dated in the commissioned period
          itself: credit notes, write-offs, the write-off part of a payment; a share of the
          document's commission, as large as the share of the document they take back;
        - documents that no longer count, whenever it happened: a cancelled order, an invoice
          cancelled or reset to draft, a cash reconciliation undone (payment unreconciled,
          reversed, cancelled or reset, or its invoice reset); what is left of the commission
          line after the events above. Commission paid on an order stays while the order is
          confirmed, even if its invoice is cancelled to be issued again: the sale stands.

        A reason goes to the earliest draft statement that follows the commissioned one and
        ends after the reason's date, so that drafts computed together never take it twice.

        :return: {user_id: [(origin, date, name, res_model, res_id, amount, clawback_kind)]}
        """
        self.env.cr.execute(
            SQL(
                """
                WITH commissioned AS (
                    SELECT l.id AS line_id, l.res_model, l.res_id, l.doc_name, l.source_ref,
                           l.amount AS commission, st.user_id, st.date_to AS paid_until
                      FROM sales_commission_statement_line l
                      JOIN sales_commission_statement st ON st.id = l.statement_id
                     WHERE l.line_type = 'commission' AND l.res_id IS NOT NULL
                       AND st.state IN ('confirmed', 'paid') AND st.scheme_id = %(scheme)s
                       AND st.user_id IN %(users)s AND st.date_to < %(start)s
                ),
                moves AS (
                    -- the commissioned invoices and the invoices of the commissioned orders:
                    -- events are looked for on these only, whatever their date
                    SELECT c.res_id AS move_id FROM commissioned c
                     WHERE c.res_model = 'account.move'
                 UNION
                    SELECT aml.move_id
                      FROM commissioned c
                      JOIN sale_order_line sol ON sol.order_id = c.res_id
                      JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
                      JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                     WHERE c.res_model = 'sale.order'
                ),
                events AS (
                    SELECT 'account.move,' || m.id AS origin, m.invoice_date AS day,
                           m.name AS doc_name, 'account.move' AS res_model, m.id AS res_id,
                           src.order_id, m.reversed_entry_id AS invoice_id,
                           ABS(m.amount_untaxed_signed) AS amount, 'refund' AS kind
                      FROM account_move m
                      %(order_of_move)s
                     WHERE m.move_type = 'out_refund' AND m.state = 'posted'
                       AND m.company_id = %(company)s AND m.invoice_date <= %(end)s
                       AND (m.id IN (SELECT move_id FROM moves)
                            OR m.reversed_entry_id IN (SELECT move_id FROM moves))
                 UNION ALL
                    SELECT 'account.partial.reconcile,' || apr.id, apr.max_date,
                           m.name, 'account.move', m.id, src.order_id, m.id,
                           apr.amount * m.amount_untaxed_signed
                               / NULLIF(m.amount_total_signed, 0),
                           'write_off'
                      FROM account_partial_reconcile apr
                      JOIN account_move_line il ON il.id = apr.debit_move_id
                      JOIN account_move m ON m.id = il.move_id
                      JOIN account_move_line pl ON pl.id = apr.credit_move_id
                      JOIN account_move pm ON pm.id = pl.move_id
                      %(order_of_move)s
                     WHERE m.move_type = 'out_invoice' AND pm.move_type = 'entry'
                       AND pm.origin_payment_id IS NULL AND pm.statement_line_id IS NULL
                       AND m.company_id = %(company)s AND apr.max_date <= %(end)s
                       AND m.id IN (SELECT move_id FROM moves)
                 UNION ALL
                    -- the write-off part of a payment ("mark as fully paid")
                    SELECT 'account.partial.reconcile,' || apr.id, apr.max_date,
                           m.name, 'account.move', m.id, src.order_id, m.id,
                           apr.amount * (1 - %(cash_share)s) * m.amount_untaxed_signed
                               / NULLIF(m.amount_total_signed, 0),
                           'write_off'
                      FROM account_partial_reconcile apr
                      JOIN account_move_line il ON il.id = apr.debit_move_id
                      JOIN account_move m ON m.id = il.move_id
                      JOIN account_move_line pl ON pl.id = apr.credit_move_id
                      JOIN account_move pm ON pm.id = pl.move_id
                      %(cash_share_join)s
                      %(order_of_move)s
                     WHERE m.move_type = 'out_invoice' AND pm.origin_payment_id IS NOT NULL
                       AND m.company_id = %(company)s AND apr.max_date <= %(end)s
                       AND m.id IN (SELECT move_id FROM moves)
                       AND %(cash_share)s < 1
                ),
                shares AS (
                    -- each event's share of each commission line of its document (order or
                    -- invoice), in two joins rather than one OR-join that could not be hashed
                    SELECT e.*, c.line_id, c.user_id, c.paid_until, c.commission,
                           so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)
                               AS doc_value
                      FROM events e
                      JOIN commissioned c
                        ON c.res_model = 'sale.order' AND c.res_id = e.order_id
                      JOIN sale_order so ON so.id = c.res_id
                 UNION ALL
                    SELECT e.*, c.line_id, c.user_id, c.paid_until, c.commission,
                           ABS(inv.amount_untaxed_signed)
                      FROM events e
                      JOIN commissioned c
                        ON c.res_model = 'account.move' AND c.res_id = e.invoice_id
                      JOIN account_move inv ON inv.id = c.res_id
                ),
                claims AS (
                    SELECT s.origin, s.day, s.doc_name, s.res_model, s.res_id, s.kind,
                           s.line_id, s.user_id, s.paid_until,
                           s.commission * LEAST(s.amount / NULLIF(s.doc_value, 0), 1) AS amount
                      FROM shares s
                     -- a line already taken back in full owes nothing more
                     WHERE NOT EXISTS (
                           SELECT 1
                             FROM sales_commission_statement_line v
                             JOIN sales_commission_statement vst ON vst.id = v.statement_id
                            WHERE v.clawback_origin
                                      = 'sales.commission.statement.line,' || s.line_id
                              AND vst.user_id = s.user_id AND vst.scheme_id = %(scheme)s
                              AND NOT (vst.date_from = %(start)s AND vst.date_to = %(end)s)
                       )
                ),
                taken AS (
                    -- taken here, or already taken by another statement
                    SELECT cl.*,
                           EXISTS (
                               SELECT 1
                                 FROM sales_commission_statement_line t
                                 JOIN sales_commission_statement tst ON tst.id = t.statement_id
                                WHERE t.clawback_origin = cl.origin AND tst.user_id = cl.user_id
                                  AND tst.scheme_id = %(scheme)s
                                  AND NOT (tst.date_from = %(start)s AND tst.date_to = %(end)s)
                           ) AS before
                      FROM claims cl
                ),
                voids AS (
                    -- commission lines whose document no longer counts: what events left
                    SELECT 'sales.commission.statement.line,' || c.line_id AS origin,
                           NULL::date AS day, c.doc_name, c.res_model, c.res_id,
                           CASE WHEN c.source_ref IS NOT NULL THEN 'unreconciled'
                                WHEN c.res_model = 'sale.order' THEN 'order_cancelled'
                                ELSE 'invoice_cancelled' END AS kind,
                           c.line_id, c.user_id, c.paid_until,
                           GREATEST(c.commission - COALESCE((
                               SELECT SUM(t.amount) FROM taken t WHERE t.line_id = c.line_id
                           ), 0), 0) AS amount
                      FROM commissioned c
                 LEFT JOIN sale_order so ON c.res_model = 'sale.order' AND so.id = c.res_id
                 LEFT JOIN account_move inv ON c.res_model = 'account.move' AND inv.id = c.res_id
                     WHERE CASE
                           -- the cash reconciliation it was paid on (collected cash)
                           WHEN c.source_ref IS NOT NULL THEN NOT EXISTS (
                               SELECT 1 FROM account_partial_reconcile apr
                                WHERE apr.id = split_part(c.source_ref, ',', 2)::int)
                           WHEN c.res_model = 'sale.order' THEN so.state IS DISTINCT FROM 'sale'
                           WHEN c.res_model = 'account.move'
                               THEN inv.state IS DISTINCT FROM 'posted'
                           ELSE FALSE END
                ),
                due AS (
                    SELECT origin, day, doc_name, res_model, res_id, kind, user_id, paid_until,
                           amount
                      FROM taken
                     WHERE NOT before
                 UNION ALL
                    SELECT origin, day, doc_name, res_model, res_id, kind, user_id, paid_until,
                           amount
                      FROM voids v
                     WHERE NOT EXISTS (
                           SELECT 1
                             FROM sales_commission_statement_line t
                             JOIN sales_commission_statement tst ON tst.id = t.statement_id
                            WHERE t.clawback_origin = v.origin AND tst.user_id = v.user_id
                              AND tst.scheme_id = %(scheme)s
                              AND NOT (tst.date_from = %(start)s AND tst.date_to = %(end)s)
                       )
                )
                SELECT d.user_id, d.origin, COALESCE(d.day, %(end)s), d.doc_name, d.res_model,
                       d.res_id, -SUM(d.amount), d.kind
                  FROM due d
                 -- the earliest draft statement after the commissioned one takes it
                 WHERE NOT EXISTS (
                       SELECT 1
                         FROM sales_commission_statement dst
                        WHERE dst.state = 'draft' AND dst.scheme_id = %(scheme)s
                          AND dst.user_id = d.user_id AND dst.date_from > d.paid_until
                          AND dst.date_from < %(start)s
                          AND (d.day IS NULL OR d.day <= dst.date_to)
                   )
              GROUP BY d.user_id, d.origin, d.day, d.doc_name, d.res_model, d.res_id, d.kind
                """,
                order_of_move=SQL(SALE_ORDER_OF_MOVE),
                cash_share=SQL(CASH_SHARE),
                cash_share_join=SQL(CASH_SHARE_OF_PAYMENT),
                company=scheme.company_id.id,
                start=date_from,
                end=date_to,
                scheme=scheme.id,
                users=tuple(user_ids) or (0,),
            )
        )
        result = defaultdict(list)
        for row in self.env.cr.fetchall():
            user_id, origin, day, doc_name, res_model, res_id, amount, kind = row
            if not scheme.company_id.currency_id.is_zero(amount or 0.0):
                result[user_id].append((origin, day, doc_name, res_model, res_id, amount, kind))
        return result

    def _insert_document_lines(self, source, ratios, company):
        """One INSERT ... SELECT of every commissioned document line of a plan and period:
        each document's credited amount times its salesperson's effective rate."""
        now = fields.Datetime.now()
        uid = self.env.uid
        values = SQL(", ").join(
            SQL("(%s, %s, %s::numeric)", user_id, statement_id, ratio)
            for user_id, statement_id, ratio in ratios
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO sales_commission_statement_line
                       (statement_id, line_type, res_model, res_id, doc_name, date, share,
                        base_amount, rate, amount, company_id, source_ref,
                        create_uid, write_uid, create_date, write_date)
                SELECT v.statement_id, 'commission', src.res_model, src.res_id, src.doc_name,
                       src.day, src.share, src.amount, v.ratio * 100, src.amount * v.ratio,
                       %(company)s, src.source_ref, %(uid)s, %(uid)s, %(now)s, %(now)s
                  FROM (%(source)s) src
                  JOIN (VALUES %(values)s) AS v(user_id, statement_id, ratio)
                    ON v.user_id = src.user_id
                """,
                company=company.id,
                uid=uid,
                now=now,
                source=source,
                values=values,
            )
        )

    def _insert_lines(self, rows):
        """Insert computed lines, 5,000 per statement."""
        uid = self.env.uid
        columns = ", ".join((*LINE_COLUMNS, "create_uid", "write_uid", "create_date", "write_date"))
        placeholder = "(" + ", ".join(["%s"] * (len(LINE_COLUMNS) + 2)) + ", %s, %s)"
        now = fields.Datetime.now()
        for index in range(0, len(rows), 5000):
            chunk = rows[index : index + 5000]
            params = [value for row in chunk for value in (*row, uid, uid, now, now)]
            self.env.cr.execute(
                f"INSERT INTO sales_commission_statement_line ({columns}) VALUES "
                + ", ".join([placeholder] * len(chunk)),
                params,
            )

    def _write_totals(self, totals):
        if not totals:
            return
        columns = SQL(", ").join(SQL.identifier(c) for c in TOTAL_FIELDS)
        sets = SQL(", ").join(
            SQL("%s = v.%s", SQL.identifier(c), SQL.identifier(c)) for c in TOTAL_FIELDS
        )
        values = SQL(", ").join(
            SQL("(%s)", SQL(", ").join(SQL("%s::numeric", v) for v in row)) for row in totals
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE sales_commission_statement s
                   SET %(sets)s, computed_at = now() at time zone 'UTC'
                  FROM (VALUES %(values)s) AS v(id, %(columns)s)
                 WHERE s.id = v.id
                """,
                sets=sets,
                values=values,
                columns=columns,
            )
        )

    # ------------------------------------------------------------------
    # Earned to date
    # ------------------------------------------------------------------
    @api.model
    def _earned_to_date(self, user=None, today=None):
        """Draft statements of the current month for a salesperson, computed now.

        A salesperson may only compute their own; the computation runs as superuser because
        it reads documents the salesperson may not open (e.g. a colleague's split order).
        """
        user = user or self.env.user
        if user != self.env.user and not self.env.user.has_group(
            "sales_targets.group_targets_team_leader"
        ):
            raise UserError(self.env._("You can only see your own commission."))
        today = today or self.env.company._sales_targets_today()
        start = today.replace(day=1)
        end = start + relativedelta(months=1, days=-1)
        sudo = self.sudo()
        schemes = sudo.env["sales.commission.scheme"].search(
            [("company_id", "in", self.env.companies.ids)]
        )
        statements = sudo.browse()
        for scheme, users in schemes._assigned_users(start, end).items():
            if user not in users:
                continue
            # a statement covering part of the month (e.g. a quarterly one) is the one to show
            statement = sudo.search(
                [
                    ("scheme_id", "=", scheme.id),
                    ("user_id", "=", user.id),
                    ("date_from", "<=", end),
                    ("date_to", ">=", start),
                ],
                limit=1,
            ) or sudo.create(
                {"scheme_id": scheme.id, "user_id": user.id, "date_from": start, "date_to": end}
            )
            statements |= statement
        statements.filtered(lambda s: s.state == "draft")._compute_statements()
        return statements.with_env(self.env)

    @api.model
    def action_my_earned_to_date(self):
        statements = self._earned_to_date()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_targets.action_sales_commission_statement_mine"
        )
        action["domain"] = [("id", "in", statements.ids)]
        return action

    # ------------------------------------------------------------------
    # Export
    # ------------------------------------------------------------------
    def _export_header(self):
        return [
            self.env._("Statement"),
            self.env._("Salesperson"),
            self.env._("Period start"),
            self.env._("Period end"),
            self.env._("Type"),
            self.env._("Document"),
            self.env._("Date"),
            self.env._("Share (%)"),
            self.env._("Base"),
            self.env._("Rate (%)"),
            self.env._("Commission"),
            self.env._("Reason"),
        ]

    def _export_rows(self):
        # line types in the user's language
        Line = self.env["sales.commission.statement.line"]
        line_types = dict(Line._fields["line_type"]._description_selection(self.env))
        clawback_kinds = dict(Line._fields["clawback_kind"]._description_selection(self.env))
        rows = []
        for statement in self:
            for line in statement.line_ids:
                rows.append(
                    (
                        statement.name,
                        statement.user_id.name,
                        str(statement.date_from),
                        str(statement.date_to),
                        line_types.get(line.line_type),
                        line.doc_name or "",
                        str(line.date or ""),
                        line.share,
                        line.base_amount,
                        round(line.rate, 4),
                        line.amount,
                        line.reason or clawback_kinds.get(line.clawback_kind) or "",
                    )
                )
        return rows

    def _export_csv(self):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(self._export_header())
        writer.writerows(self._export_rows())
        return buffer.getvalue().encode("utf-8-sig")

    def _export_xlsx(self):
        import xlsxwriter  # noqa: PLC0415 - optional dependency, shipped with Odoo

        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Commission"))
        bold = workbook.add_format({"bold": True})
        money = workbook.add_format({"num_format": "#,##0.00"})
        for col, title in enumerate(self._export_header()):
            sheet.write(0, col, title, bold)
        for row_index, row in enumerate(self._export_rows(), start=1):
            for col, value in enumerate(row):
                sheet.write(row_index, col, value, money if col in (8, 10) else None)
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 11, 16)
        workbook.close()
        return buffer.getvalue()

    def _download(self, content, extension, mimetype):
        # not linked to the statements: a salesperson may export what they can only read
        attachment = self.env["ir.attachment"].create(
            {"name": f"commission_statements.{extension}", "raw": content, "mimetype": mimetype}
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_export_xlsx(self):
        return self._download(
            self._export_xlsx(),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    def action_export_csv(self):
        return self._download(self._export_csv(), "csv", "text/csv")
