"""Which order an invoice belongs to: the one rule of the suite.

An invoice (or a credit note) belongs to the orders its lines come from, pro rata: each
order takes the part of the invoice's total (taxes included) that its lines make up. An
invoice of two orders is split between them, not credited in full to the first one. The
part of an invoice that comes from no order (a line added by hand) belongs to none.

Targets' invoiced and collected metrics, the commission clawbacks and the assistant's
collection plans all read it from here, so that targets' collected cash and the
assistant's collected amount agree, order by order.
"""

from odoo.tools import SQL


def order_parts_of_moves(condition):
    """SQL rows ``(move_id, order_id, part, weight)``: the part of each move that comes from
    each order (the total of its lines from that order, taxes included, in the move's
    currency) and its weight (that part over the move's total; 0 for a move of no amount).

    :param condition: an SQL condition on the move lines ``aml`` and the order lines
        ``sol`` choosing the rows to read (some moves, some orders): without it every
        invoice line would be read.
    """
    return SQL(
        """
        SELECT aml.move_id, sol.order_id, SUM(aml.price_total) AS part,
               CASE WHEN MAX(m.amount_total) = 0 THEN 0.0
                    ELSE SUM(aml.price_total) / MAX(m.amount_total) END AS weight
          FROM account_move_line aml
          JOIN account_move m ON m.id = aml.move_id
          JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = aml.id
          JOIN sale_order_line sol ON sol.id = rel.order_line_id
         WHERE %s
      GROUP BY aml.move_id, sol.order_id
        """,
        condition,
    )
