from collections import defaultdict

from odoo import fields, models
from odoo.tools import float_compare


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _assistant_availability(self):
        """Availability of quotation lines in their order's warehouse, for confirming.

        The one home of "is this line available": the guided confirmation screen shows it
        and the "stock availability" compliance check refuses on it. Built on what
        ``sale_stock`` computes for its availability widget (``free_qty_today``,
        ``virtual_available_at_date``..., batched per warehouse and date, lines of the same
        product sharing the stock in sequence), plus one grouped query on the incoming
        moves for the date a missing quantity arrives.

        Returns ``{line id: {"ordered", "free", "forecast", "date", "available"}}`` in the
        line's unit of measure. Lines that need no stock (services, non-stored goods,
        sections, goods made or bought to order) are available and have no figures.
        """
        result = {}
        stocked = self.filtered(
            lambda line: (
                not line.display_type
                and line.product_id.is_storable
                and line.state in ("draft", "sent")
                # make to order, cross-dock, drop-ship: sale_stock does not check the stock
                and not line.is_mto
            )
        )
        for line in self - stocked:
            result[line.id] = {
                "ordered": line.product_uom_qty,
                "free": 0.0,
                "forecast": 0.0,
                "date": False,
                "available": True,
                "stocked": False,
            }
        if not stocked:
            return result
        precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        missing = {}
        for line in stocked:
            available = (
                float_compare(line.free_qty_today, line.product_uom_qty, precision_digits=precision)
                >= 0
            )
            result[line.id] = {
                "ordered": line.product_uom_qty,
                "free": line.free_qty_today,
                "forecast": line.virtual_available_at_date,
                "date": line.scheduled_date.date() if available and line.scheduled_date else False,
                "available": available,
                "stocked": True,
            }
            if not available:
                # in the product's unit, as the moves
                missing[line] = line.product_uom._compute_quantity(
                    line.product_uom_qty - max(line.free_qty_today, 0.0), line.product_id.uom_id
                )
        if missing:
            today = self.env.user._sales_person_today()  # shown to who confirms
            arrivals = self._assistant_incoming(self.browse([line.id for line in missing]))
            for line, quantity in missing.items():
                received = 0.0
                for day, incoming in arrivals.get((line.warehouse_id.id, line.product_id.id), ()):
                    received += incoming
                    if float_compare(received, quantity, precision_digits=precision) >= 0:
                        # a receipt late on its schedule arrives today at the earliest
                        result[line.id]["date"] = max(day, today)
                        break
        return result

    def _assistant_incoming(self, lines):
        """{(warehouse id, product id): [(day, quantity)...]} of the receipts still expected
        into the lines' warehouses, by day: one grouped query for all the lines."""
        result = defaultdict(list)
        for warehouse, wh_lines in lines.grouped("warehouse_id").items():
            if not warehouse:
                continue
            groups = (
                self.env["stock.move"]
                .sudo()
                ._read_group(
                    [
                        ("product_id", "in", wh_lines.product_id.ids),
                        ("state", "not in", ("draft", "done", "cancel")),
                        ("location_dest_id", "child_of", warehouse.view_location_id.id),
                        ("location_id.warehouse_id", "!=", warehouse.id),
                    ],
                    ["product_id", "date:day"],
                    ["product_qty:sum"],
                    order="date:day",
                )
            )
            for product, day, quantity in groups:
                result[(warehouse.id, product.id)].append((fields.Date.to_date(day), quantity))
        return result
