"""Built-in compliance checks of orders under a sales contract: the ceiling of a framework
agreement, and a contract that is not in force on the order's date."""

from odoo import fields, models
from odoo.addons.sales_compliance.models.sales_compliance_rule import compliance_check

from .sales_contract import IN_FORCE_STATES


class SalesComplianceRuleContractOrders(models.Model):
    # one file per family of checks, as sales_compliance's own
    _inherit = "sales.compliance.rule"

    check = fields.Selection(
        selection_add=[
            ("contract_ceiling", "Order beyond what remains under the framework agreement"),
            ("contract_not_in_force", "Order under a contract not in force"),
        ],
        ondelete={"contract_ceiling": "set null", "contract_not_in_force": "set null"},
    )

    def _contracts_in_force(self, orders):
        """{root id: the version in force} of the contracts of ``orders`` (one query)."""
        roots = orders.contract_id.sudo().root_id
        versions = (
            self.env["sales.contract"]
            .sudo()
            .search([("root_id", "in", roots.ids), ("state", "in", IN_FORCE_STATES)])
        )
        return {version.root_id.id: version for version in versions}

    @compliance_check(measured=True, reads={"sale.order": ("amount_total", "contract_id")})
    def _compliance_check_contract_ceiling(self, orders):
        """Orders under a framework agreement that take it beyond its ceiling. The value is
        the amount by which the order exceeds what remains, in the contract's currency."""
        orders = orders.filtered("contract_id")
        if not orders:
            return {}
        in_force = self._contracts_in_force(orders)
        frameworks = {
            root: version
            for root, version in in_force.items()
            if version.contract_type == "framework"
        }
        if not frameworks:
            return {}
        Contract = self.env["sales.contract"].sudo()
        contracts = Contract.browse([version.id for version in frameworks.values()])
        # what the other orders of the contract already took
        money = contracts._contract_money(exclude_order_ids=orders.ids)
        result = {}
        taken = {}
        for order in orders.sorted("id"):
            root = order.contract_id.sudo().root_id.id
            contract = frameworks.get(root)
            if not contract:
                continue
            currency = contract.currency_id
            amount = order.currency_id._convert(
                order.amount_total,
                currency,
                contract.company_id,
                contract.company_id._sales_today(),
            )
            ordered = money[root]["amount_ordered"] + taken.get(root, 0.0)
            taken[root] = taken.get(root, 0.0) + amount
            remaining = max(contract.ceiling - ordered, 0.0)
            excess = currency.round(amount - remaining)
            if currency.compare_amounts(excess, 0.0) > 0:
                result[order.id] = (
                    excess,
                    remaining,
                    {
                        "contract": contract.display_name,
                        "ceiling": contract.ceiling,
                        "ordered": ordered,
                        "order_amount": amount,
                        "excess": excess,
                    },
                )
        return result

    @compliance_check(reads={"sale.order": ("contract_id", "date_order")})
    def _compliance_check_contract_not_in_force(self, orders):
        """Orders under a contract that is not signed or in performance, or that ended
        before the order's date. The value is the days past the end (0 when not signed)."""
        orders = orders.filtered("contract_id")
        if not orders:
            return {}
        in_force = self._contracts_in_force(orders)
        result = {}
        for order in orders:
            linked = order.contract_id.sudo()
            contract = in_force.get(linked.root_id.id)
            if not contract:
                result[order.id] = (
                    0,
                    0,
                    {"contract": linked.display_name, "state": linked.state},
                )
                continue
            day = order._collection_date_ref()
            if contract.date_end and contract.date_end < day:
                result[order.id] = (
                    (day - contract.date_end).days,
                    0,
                    {
                        "contract": contract.display_name,
                        "date_end": str(contract.date_end),
                        "order_date": str(day),
                    },
                )
        return result
