"""Clawbacks of commission statements: commission paid in earlier confirmed or paid
statements that later events take back (credit notes, write-offs, cancelled orders and
invoices, undone cash reconciliations, achievement bonuses measured again), and what comes
back when such an event is itself undone. Computed by the statement engine
(``sales_commission_statement_engine.py``), in one query per plan and period."""

from collections import defaultdict
from typing import NamedTuple

from odoo import models
from odoo.tools import SQL

from ..tools.invoice_orders import order_parts_of_moves
from .sales_target_metric import CASH_SHARE, CASH_SHARE_OF_PAYMENT, RECONCILED_INVOICES

# A credit note ``m`` cancelled by a posted reversal of its own.
REFUND_REVERSED = """EXISTS (
    SELECT 1 FROM account_move rev WHERE rev.reversed_entry_id = m.id AND rev.state = 'posted'
)"""


class Clawback(NamedTuple):
    """Commission taken back, and why (``origin``: the event or line it comes from)."""

    origin: str
    day: object
    doc_name: str
    res_model: str
    res_id: int
    amount: float
    kind: str


class SalesCommissionStatement(models.Model):
    _inherit = "sales.commission.statement"

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
            terms = statement.version_id or scheme
            now = terms._commission(actual, statement.target_value)["amount"]
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
