from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.addons.sales_compliance.tools.actions import form_action
from odoo.exceptions import UserError
from odoo.tools import SQL

from .sales_contract import IN_FORCE_STATES

# How far ahead a contract in force counts as expiring (the "Expiring in 30 days" filter).
EXPIRING_DAYS = 30
# The performance figures (合同履行), counted over the whole contract: every version's orders.
PERFORMANCE_FIELDS = (
    "order_count",
    "amount_ordered",
    "amount_delivered",
    "amount_invoiced",
    "amount_collected",
)


class SalesContract(models.Model):
    """Orders from contracts and the contract's performance: ordered, delivered, invoiced
    and collected over all its versions, in the contract's currency."""

    _inherit = "sales.contract"

    order_count = fields.Integer(string="Orders", compute="_compute_performance")
    amount_ordered = fields.Monetary(
        string="Ordered Amount",
        compute="_compute_performance",
        help="The total of the confirmed orders under the contract (all its versions).",
    )
    amount_delivered = fields.Monetary(
        string="Delivered",
        compute="_compute_performance",
        help="The delivered quantities of the confirmed orders at their prices.",
    )
    amount_invoiced = fields.Monetary(
        string="Invoiced",
        compute="_compute_performance",
        help="Invoiced on the orders under the contract, credit notes deducted.",
    )
    amount_collected = fields.Monetary(
        string="Collected",
        compute="_compute_performance",
        help="Paid by the customer on the invoices of the orders under the contract.",
    )
    performance_progress = fields.Float(
        string="Performance (%)",
        compute="_compute_performance",
        help="The contract's amount collected, in percent.",
    )
    amount_remaining = fields.Monetary(
        string="Remaining",
        compute="_compute_performance",
        help="What orders may still total: the ceiling of a framework agreement, or the "
        "amount of the contract, less what was ordered.",
    )
    is_expiring = fields.Boolean(
        string="Expiring in 30 Days",
        compute="_compute_performance",
        search="_search_is_expiring",
    )
    is_not_collected = fields.Boolean(
        string="Not Fully Collected",
        compute="_compute_performance",
        search="_search_is_not_collected",
    )
    is_over_ceiling = fields.Boolean(
        string="Over Ceiling",
        compute="_compute_performance",
        search="_search_is_over_ceiling",
    )

    # ------------------------------------------------------------------
    # Performance: one grouped query for all the contracts read
    # ------------------------------------------------------------------
    def _contract_money(self, exclude_order_ids=()):
        """{root id: {figure: amount}} of these contracts' roots, in the currency of each
        record (the version read): the figures of ``PERFORMANCE_FIELDS`` over every order of
        every version, ``exclude_order_ids`` left out. One query whatever the number of
        contracts and orders (and a rate only for orders in another currency)."""
        roots = list({contract.root_id.id or contract.id for contract in self if contract.id})
        money = {root: dict.fromkeys(PERFORMANCE_FIELDS, 0.0) for root in roots}
        if not roots:
            return money
        self.env["sale.order"].flush_model()
        self.env["sale.order.line"].flush_model()
        self.env["sales.collection.plan"].flush_model()
        self.flush_model(["root_id"])
        self.env.cr.execute(
            SQL(
                """
                WITH orders AS (
                    SELECT so.id, so.state, so.currency_id, so.amount_total, c.root_id
                      FROM sale_order so
                      JOIN sales_contract c ON c.id = so.contract_id
                     WHERE c.root_id = ANY(%(roots)s) AND so.state != 'cancel'
                       AND so.id != ALL(%(excluded)s)
                ), delivered AS (
                    SELECT sol.order_id,
                           SUM(CASE WHEN sol.product_uom_qty != 0
                                    THEN sol.price_total * sol.qty_delivered
                                         / sol.product_uom_qty
                                    ELSE 0 END) AS amount
                      FROM sale_order_line sol
                      JOIN orders o ON o.id = sol.order_id AND o.state = 'sale'
                  GROUP BY sol.order_id
                )
                SELECT o.root_id, o.currency_id, COUNT(*),
                       COALESCE(SUM(o.amount_total) FILTER (WHERE o.state = 'sale'), 0),
                       COALESCE(SUM(d.amount), 0),
                       COALESCE(SUM(p.amount_invoiced - p.amount_credited)
                                FILTER (WHERE o.state = 'sale'), 0),
                       COALESCE(SUM(p.amount_paid) FILTER (WHERE o.state = 'sale'), 0)
                  FROM orders o
             LEFT JOIN delivered d ON d.order_id = o.id
             LEFT JOIN sales_collection_plan p ON p.order_id = o.id
              GROUP BY o.root_id, o.currency_id
                """,
                roots=roots,
                excluded=list(exclude_order_ids),
            )
        )
        rows = self.env.cr.fetchall()
        currency_of_root = {(c.root_id.id or c.id): c for c in self}
        for root, currency_id, count, *amounts in rows:
            contract = currency_of_root[root]
            figures = money[root]
            figures["order_count"] += count
            source = self.env["res.currency"].browse(currency_id)
            for name, amount in zip(PERFORMANCE_FIELDS[1:], amounts, strict=True):
                if source != contract.currency_id:
                    amount = source._convert(
                        amount,
                        contract.currency_id,
                        contract.company_id,
                        contract.company_id._sales_today(),
                    )
                figures[name] += amount
        return money

    @api.depends(
        "root_id", "state", "date_end", "amount", "ceiling", "contract_type", "currency_id"
    )
    def _compute_performance(self):
        money = self._contract_money()
        today = {}
        for contract in self:
            figures = money.get(contract.root_id.id or contract.id) or dict.fromkeys(
                PERFORMANCE_FIELDS, 0.0
            )
            contract.update(figures)
            contract.performance_progress = (
                min(100.0, max(0.0, 100.0 * figures["amount_collected"] / contract.amount))
                if contract.amount > 0
                else 0.0
            )
            limit = contract.ceiling if contract.contract_type == "framework" else contract.amount
            contract.amount_remaining = limit - figures["amount_ordered"]
            # the register's flags (their searches: ``_register_sql``)
            company = contract.company_id
            if company.id not in today:
                today[company.id] = company._sales_today()
            day = today[company.id]
            in_force = contract.state in IN_FORCE_STATES
            currency = contract.currency_id
            contract.is_expiring = bool(
                in_force
                and contract.date_end
                and day <= contract.date_end <= day + timedelta(days=EXPIRING_DAYS)
            )
            contract.is_not_collected = bool(
                in_force
                and currency.compare_amounts(figures["amount_collected"], contract.amount) < 0
            )
            contract.is_over_ceiling = bool(
                contract.contract_type == "framework"
                and currency.compare_amounts(figures["amount_ordered"], contract.ceiling) > 0
            )

    # ------------------------------------------------------------------
    # The register's filters: one query each
    # ------------------------------------------------------------------
    def _register_sql(self, flag):
        """SQL selecting the ids of the contracts (versions) that ``flag`` holds for:
        ``expiring`` (in force, ending within 30 days of its company's today),
        ``not_collected`` (in force, collected below its amount) or ``over_ceiling``
        (framework agreements whose orders total more than the ceiling). Amounts are
        compared in the company's currency."""
        if flag == "expiring":
            companies = self.env["res.company"].sudo().search([("active", "=", True)])
            today = SQL(", ").join(
                SQL("(%s, %s::date)", company.id, company._sales_today()) for company in companies
            )
            return SQL(
                """
                SELECT c.id FROM sales_contract c
                  JOIN (VALUES %s) AS t(company_id, today) ON t.company_id = c.company_id
                 WHERE c.state IN %s AND c.date_end >= t.today
                   AND c.date_end <= t.today + %s
                """,
                today,
                IN_FORCE_STATES,
                EXPIRING_DAYS,
            )
        rate = SQL("COALESCE(NULLIF(so.currency_rate, 0), 1.0)")
        if flag == "not_collected":
            return SQL(
                """
                SELECT c.id FROM sales_contract c
             LEFT JOIN (SELECT sc.root_id, SUM(p.amount_paid / %(rate)s) AS amount
                          FROM sale_order so
                          JOIN sales_contract sc ON sc.id = so.contract_id
                          JOIN sales_collection_plan p ON p.order_id = so.id
                         WHERE so.state = 'sale'
                      GROUP BY sc.root_id) paid ON paid.root_id = c.root_id
                 WHERE c.state IN %(states)s
                   AND COALESCE(paid.amount, 0) < c.amount_company - 0.005
                """,
                rate=rate,
                states=IN_FORCE_STATES,
            )
        return SQL(
            """
            SELECT c.id FROM sales_contract c
              JOIN (SELECT sc.root_id, SUM(so.amount_total / %(rate)s) AS amount
                      FROM sale_order so
                      JOIN sales_contract sc ON sc.id = so.contract_id
                     WHERE so.state = 'sale'
                  GROUP BY sc.root_id) ordered ON ordered.root_id = c.root_id
             WHERE c.contract_type = 'framework' AND c.amount > 0
               AND ordered.amount > c.ceiling * c.amount_company / c.amount + 0.005
            """,
            rate=rate,
        )

    def _register_search(self, flag, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("This filter only takes yes or no."))
        self.env["sale.order"].flush_model()
        self.env["sales.collection.plan"].flush_model()
        self.flush_model()
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", SQL("(%s)", self._register_sql(flag)))]

    def _search_is_expiring(self, operator, value):
        return self._register_search("expiring", operator, value)

    def _search_is_not_collected(self, operator, value):
        return self._register_search("not_collected", operator, value)

    def _search_is_over_ceiling(self, operator, value):
        return self._register_search("over_ceiling", operator, value)

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_create_quotation(self):
        """A quotation for the customer with the contract's lines and prices, placed under
        the contract and with its payment terms: only the version in force, and by a user
        who may create orders."""
        self.ensure_one()
        self.check_access("read")
        self.env["sale.order"].check_access("create")
        if not self.is_head or self.state not in IN_FORCE_STATES:
            raise UserError(
                self.env._(
                    "Quotations are created from the version of a contract in force (signed or "
                    "in performance); %s is not.",
                    self.display_name,
                )
            )
        lines = []
        for line in self.line_ids.sorted("sequence"):
            if line.product_id:
                lines.append(
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "name": line.name,
                            "product_uom_qty": line.quantity,
                            "price_unit": line.price_unit,
                        }
                    )
                )
            else:
                lines.append(Command.create({"display_type": "line_note", "name": line.name}))
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "user_id": (self.user_id or self.env.user).id,
                "team_id": self.team_id.id,
                "contract_id": self.id,
                "origin": self.name,
                "payment_term_id": self.payment_term_id.id,
                "order_line": lines,
            }
        )
        return form_action("sale.order", order.id, name=self.env._("Quotation"))

    def _root_orders_domain(self):
        return [("contract_id.root_id", "in", (self.root_id | self).root_id.ids)]

    def action_view_orders(self):
        """The orders under the contract, every version's."""
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Orders"),
            "res_model": "sale.order",
            "view_mode": "list,form",
            "domain": self._root_orders_domain(),
            "context": {"create": False},
        }

    def action_view_collection(self):
        """The installments of the collection plans of the orders under the contract."""
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Collection"),
            "res_model": "sales.collection.installment",
            "view_mode": "list,pivot,graph,form",
            "domain": [("order_id.contract_id.root_id", "in", (self.root_id | self).root_id.ids)],
            "context": {"create": False},
        }
