from collections import defaultdict
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.invoice_orders import order_parts_of_moves
from .sales_target_metric import CASH_SHARE, CASH_SHARE_OF_PAYMENT, RECONCILED_INVOICES

# A credit note ``m`` cancelled by a posted reversal of its own.
REFUND_REVERSED = """EXISTS (
    SELECT 1 FROM account_move rev WHERE rev.reversed_entry_id = m.id AND rev.state = 'posted'
)"""


class LineRow(NamedTuple):
    """A computed statement line (commission or clawback), as inserted in bulk."""

    statement_id: int
    line_type: str
    res_model: str
    res_id: int | None
    doc_name: str
    date: object
    share: float
    base_amount: float
    rate: float
    amount: float
    clawback_origin: str | None
    company_id: int
    source_ref: str | None
    clawback_kind: str | None


class TotalsRow(NamedTuple):
    """The totals of one statement, written back in bulk."""

    id: int
    base_amount: float
    target_value: float
    achievement_pct: float
    commission_amount: float
    clawback_amount: float
    next_tier_pct: float
    next_tier_gap: float
    next_tier_amount: float


class Document(NamedTuple):
    """A commissioned document of a salesperson (the target, for an achievement bonus)."""

    res_model: str
    res_id: int
    doc_name: str
    day: object
    share: float
    amount: float


class Clawback(NamedTuple):
    """Commission taken back, and why (``origin``: the event or line it comes from)."""

    origin: str
    day: object
    doc_name: str
    res_model: str
    res_id: int
    amount: float
    kind: str


class TargetOfUser(NamedTuple):
    """The salesperson's target a statement measures achievement against."""

    value: float
    name: str


NO_TARGET = TargetOfUser(0.0, "")


class SalesCommissionStatement(models.Model):
    """The set-based engine of commission statements: commissionable documents, achievement
    bonuses, clawbacks and earned-to-date, in a constant number of queries per plan and
    period whatever the number of lines."""

    _inherit = "sales.commission.statement"

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
                        Document(
                            res_model="sales.target",
                            res_id=0,
                            doc_name=targets.get(user_id, NO_TARGET).name,
                            day=date_to,
                            share=100.0,
                            amount=base[user_id],
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
            target_value = targets.get(user_id, NO_TARGET).value
            result = scheme._commission(base[user_id], target_value)
            ratio = result["amount"] / base[user_id] if base[user_id] else 0.0
            ratios.append((user_id, statement.id, ratio))
            for document in documents[user_id]:
                rows.append(
                    LineRow(
                        statement_id=statement.id,
                        line_type="commission",
                        res_model=document.res_model,
                        res_id=document.res_id or None,
                        doc_name=document.doc_name,
                        date=document.day,
                        share=document.share,
                        base_amount=document.amount,
                        rate=ratio * 100.0,
                        amount=result["amount"],
                        clawback_origin=None,
                        company_id=company.id,
                        source_ref=None,
                        clawback_kind=None,
                    )
                )
            clawback_total = 0.0
            for clawback in clawbacks.get(user_id, []):
                rows.append(
                    LineRow(
                        statement_id=statement.id,
                        line_type="clawback",
                        res_model=clawback.res_model,
                        res_id=clawback.res_id,
                        doc_name=clawback.doc_name,
                        date=clawback.day,
                        share=100.0,
                        base_amount=0.0,
                        rate=0.0,
                        amount=clawback.amount,
                        clawback_origin=clawback.origin,
                        company_id=company.id,
                        source_ref=None,
                        clawback_kind=clawback.kind,
                    )
                )
                clawback_total += clawback.amount
            totals.append(
                TotalsRow(
                    id=statement.id,
                    base_amount=base[user_id],
                    target_value=target_value,
                    achievement_pct=result["achievement"],
                    commission_amount=result["amount"],
                    clawback_amount=clawback_total,
                    next_tier_pct=result["next_pct"],
                    next_tier_gap=result["next_gap"],
                    next_tier_amount=result["next_amount"],
                )
            )
        if scheme.base != "achievement" and ratios:
            self._insert_document_lines(source, ratios, company)
        return rows, totals

    def _bonus_clawbacks(self, scheme, earlier, paid, series, clawbacks, date_from, date_to):
        """Add to ``clawbacks`` what achievement bonuses of the confirmed or paid statements
        ``paid`` overpaid, measured again on today's facts (``series``): orders cancelled or
        refunds posted since lower the achievement; up to what was taken, what a restored
        achievement earns again is given back (a credit note cancelled). Taken once, by the
        earliest draft statement after the paid one (``earlier`` holds the drafts), net of what
        was taken back before.
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
            already = taken.get(origin, 0.0)
            owed = now - statement.commission_amount - already
            if rounding.compare_amounts(owed, 0.0) > 0:
                # achievement restored (a credit note cancelled): give back what was taken
                owed = max(min(owed, -already), 0.0)
            if not rounding.is_zero(owed):
                clawbacks[statement.user_id.id].append(
                    Clawback(
                        origin=origin,
                        day=date_to,
                        doc_name=statement.name,
                        res_model=statement._name,
                        res_id=statement.id,
                        amount=owed,
                        kind="bonus" if owed < 0 else "bonus_undone",
                    )
                )

    def _targets_by_user(self, scheme, date_from, date_to, user_ids):
        """{user_id: TargetOfUser} of the salesperson targets of the plan's
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
        return {user.id: TargetOfUser(value, name) for user, value, name in groups}

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

        :return: {user_id: [Clawback]}
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
                taken_elsewhere AS (
                    -- what other statements of the plan already took back, and from whom
                    -- (net: a credit note taken back, then given back, is no longer taken)
                    SELECT t.clawback_origin AS origin, tst.user_id
                      FROM sales_commission_statement_line t
                      JOIN sales_commission_statement tst ON tst.id = t.statement_id
                     WHERE t.clawback_origin IS NOT NULL AND tst.scheme_id = %(scheme)s
                       AND tst.user_id IN %(users)s
                       AND NOT (tst.date_from = %(start)s AND tst.date_to = %(end)s)
                  GROUP BY t.clawback_origin, tst.user_id
                    HAVING SUM(t.amount) != 0
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
                           m.reversed_entry_id AS invoice_id,
                           ABS(m.amount_untaxed_signed) AS amount, 'refund' AS kind
                      FROM account_move m
                     WHERE m.move_type = 'out_refund' AND m.state = 'posted'
                       AND NOT %(refund_undone)s
                       AND m.company_id = %(company)s AND m.invoice_date <= %(end)s
                       AND (m.id IN (SELECT move_id FROM moves)
                            OR m.reversed_entry_id IN (SELECT move_id FROM moves))
                 UNION ALL
                    SELECT 'account.partial.reconcile,' || apr.id, apr.max_date,
                           m.name, 'account.move', m.id, m.id,
                           apr.amount * m.amount_untaxed_signed
                               / NULLIF(m.amount_total_signed, 0),
                           'write_off'
                      %(reconciliations)s
                     WHERE m.move_type = 'out_invoice' AND pm.move_type = 'entry'
                       AND pm.origin_payment_id IS NULL AND pm.statement_line_id IS NULL
                       AND m.company_id = %(company)s AND apr.max_date <= %(end)s
                       AND m.id IN (SELECT move_id FROM moves)
                 UNION ALL
                    -- the write-off part of a payment ("mark as fully paid")
                    SELECT 'account.partial.reconcile,' || apr.id, apr.max_date,
                           m.name, 'account.move', m.id, m.id,
                           apr.amount * (1 - %(cash_share)s) * m.amount_untaxed_signed
                               / NULLIF(m.amount_total_signed, 0),
                           'write_off'
                      %(reconciliations)s
                      %(cash_share_join)s
                     WHERE m.move_type = 'out_invoice' AND pm.origin_payment_id IS NOT NULL
                       AND m.company_id = %(company)s AND apr.max_date <= %(end)s
                       AND m.id IN (SELECT move_id FROM moves)
                       AND %(cash_share)s < 1
                ),
                shares AS (
                    -- each event's share of each commission line of its document (order or
                    -- invoice), in two joins rather than one OR-join that could not be hashed;
                    -- the event of a move of several orders is split between them pro rata
                    SELECT e.origin, e.day, e.doc_name, e.res_model, e.res_id, e.invoice_id,
                           e.amount * parts.weight AS amount, e.kind,
                           c.line_id, c.user_id, c.paid_until, c.commission,
                           so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)
                               AS doc_value
                      FROM events e
                      JOIN (%(order_parts)s) parts ON parts.move_id = e.res_id
                      JOIN commissioned c
                        ON c.res_model = 'sale.order' AND c.res_id = parts.order_id
                      JOIN sale_order so ON so.id = c.res_id
                 UNION ALL
                    SELECT e.origin, e.day, e.doc_name, e.res_model, e.res_id, e.invoice_id,
                           e.amount, e.kind,
                           c.line_id, c.user_id, c.paid_until, c.commission,
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
                           SELECT 1 FROM taken_elsewhere te
                            WHERE te.origin = 'sales.commission.statement.line,' || s.line_id
                              AND te.user_id = s.user_id
                       )
                ),
                taken AS (
                    -- taken here, or already taken by another statement
                    SELECT cl.*,
                           EXISTS (
                               SELECT 1 FROM taken_elsewhere te
                                WHERE te.origin = cl.origin AND te.user_id = cl.user_id
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
                given_back AS (
                    -- credit notes taken back in confirmed or paid statements, since
                    -- cancelled, reset to draft or reversed: the commission comes back
                    SELECT t.clawback_origin AS origin, NULL::date AS day, m.name AS doc_name,
                           'account.move' AS res_model, m.id AS res_id,
                           'refund_undone' AS kind, tst.user_id,
                           MAX(tst.date_to) AS paid_until, SUM(t.amount) AS amount
                      FROM sales_commission_statement_line t
                      JOIN sales_commission_statement tst ON tst.id = t.statement_id
                      JOIN account_move m
                        ON t.clawback_origin = 'account.move,' || m.id
                     WHERE t.clawback_kind IN ('refund', 'refund_undone')
                       AND tst.state IN ('confirmed', 'paid') AND tst.scheme_id = %(scheme)s
                       AND tst.user_id IN %(users)s AND tst.date_to < %(start)s
                       AND (m.state != 'posted' OR %(refund_undone)s)
                  GROUP BY t.clawback_origin, m.id, m.name, tst.user_id
                    -- still taken back
                    HAVING SUM(t.amount) < 0
                ),
                due AS (
                    SELECT origin, day, doc_name, res_model, res_id, kind, user_id, paid_until,
                           amount
                      FROM taken
                     WHERE NOT before
                 UNION ALL
                    SELECT origin, day, doc_name, res_model, res_id, kind, user_id, paid_until,
                           amount
                      FROM given_back
                 UNION ALL
                    SELECT origin, day, doc_name, res_model, res_id, kind, user_id, paid_until,
                           amount
                      FROM voids v
                     WHERE NOT EXISTS (
                           SELECT 1 FROM taken_elsewhere te
                            WHERE te.origin = v.origin AND te.user_id = v.user_id
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
                refund_undone=SQL(REFUND_REVERSED),
                reconciliations=SQL(RECONCILED_INVOICES),
                order_parts=order_parts_of_moves(SQL("aml.move_id IN (SELECT res_id FROM events)")),
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
        for user_id, *values in self.env.cr.fetchall():
            clawback = Clawback(*values)
            if not scheme.company_id.currency_id.is_zero(clawback.amount or 0.0):
                result[user_id].append(clawback)
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
        """Insert computed lines (``LineRow``), 5,000 per statement."""
        uid = self.env.uid
        columns = ", ".join(
            (*LineRow._fields, "create_uid", "write_uid", "create_date", "write_date")
        )
        placeholder = "(" + ", ".join(["%s"] * (len(LineRow._fields) + 2)) + ", %s, %s)"
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
        names = TotalsRow._fields[1:]
        columns = SQL(", ").join(SQL.identifier(c) for c in names)
        sets = SQL(", ").join(SQL("%s = v.%s", SQL.identifier(c), SQL.identifier(c)) for c in names)
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

        A salesperson may only compute their own, their team leader (``_sales_team_leader``)
        and managers anyone's; the computation runs as superuser because it reads documents
        the salesperson may not open (e.g. a colleague's split order).
        """
        user = user or self.env.user
        me = self.env.user
        if not (
            user == me
            or me.has_group("sales_targets.group_targets_manager")
            # the group grants the right, leading the salesperson's team makes them theirs
            or (
                me.has_group("sales_targets.group_targets_team_leader")
                and user._sales_team_leader(self.env.company) == me
            )
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
