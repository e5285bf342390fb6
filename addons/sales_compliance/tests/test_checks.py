from datetime import datetime, timedelta

from odoo import Command
from odoo.addons.sales_compliance.models.sales_compliance_mixin import COMPLIANCE_SKIP
from odoo.addons.sales_compliance.tests.common import ComplianceCase
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestBuiltinChecks(ComplianceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env.company._sales_today()
        cls.rating_a = cls.env["sales.compliance.credit.rating"].create(
            {
                "name": "A - excellent",
                "code": "TA",
                "payment_term_ids": [Command.set([cls.immediate.id, cls.term_30.id])],
            }
        )
        cls.rating_c = cls.env["sales.compliance.credit.rating"].create(
            {
                "name": "C - cash only",
                "code": "TC",
                "payment_term_ids": [Command.set(cls.immediate.ids)],
            }
        )

    def _failed(self, order, trigger="confirm"):
        return [f["rule"].name for f in order._compliance_failures(trigger)]

    def _review(self, rating, partner=None, **vals):
        values = {
            "partner_id": (partner or self.customer).id,
            "rating_id": rating.id,
            "date": self.today,
            "valid_until": self.today + timedelta(days=365),
        }
        values.update(vals)
        return self.env["sales.compliance.credit.review"].with_user(self.officer).create(values)

    def _invoice(self, amount, due):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": due - timedelta(days=30),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": self.product.id, "price_unit": amount, "tax_ids": []}
                    )
                ],
            }
        )
        move.action_post()
        return move

    def test_credit_exposure(self):
        self._rule(name="Exposure", check="credit_exposure")
        self.customer.with_context(compliance_skip=COMPLIANCE_SKIP).user_id = self.rep
        self.customer.credit_limit = 1000
        # A confirmed order not yet invoiced counts in the exposure
        previous = self._order(price=600)
        previous.action_confirm()
        order = self._order(price=300)
        self.assertFalse(self._failed(order))
        # Open receivables count too
        self._invoice(200, self.today + timedelta(days=10))
        order.invalidate_recordset()
        self.assertEqual(self._failed(order), ["Exposure"])
        self.assertAlmostEqual(order.compliance_credit_exposure, 1100, delta=1)
        with self.assertRaisesMsg(UserError, "Exposure"):
            order.action_confirm()

    def test_credit_exposure_in_the_order_company(self):
        """Limit and receivables are read in the order's company, not in the
        company the user works in."""
        self._rule(name="Exposure", check="credit_exposure", company_id=False)
        branch = self.env["res.company"].create(
            {"name": "Compliance Branch", "currency_id": self.company.currency_id.id}
        )
        self.rep.sudo().company_ids |= branch
        # the rep's own customer: they may see its credit
        self.customer.with_context(compliance_skip=COMPLIANCE_SKIP).user_id = self.rep
        self.customer.credit_limit = 100000
        self.customer.with_company(branch).credit_limit = 1000
        # 400 receivable in the main company: not part of the branch's exposure
        self._invoice(400, self.today + timedelta(days=10))
        order = self._order(price=700, company_id=branch.id)
        self.assertEqual(order.company_id, branch)
        self.assertEqual(order.compliance_credit_limit, 1000)
        self.assertAlmostEqual(order.compliance_credit_exposure, 700, delta=1)
        self.assertFalse(self._failed(order))
        big = self._order(price=1200, company_id=branch.id)
        self.assertEqual(self._failed(big), ["Exposure"])
        with self.assertRaisesMsg(UserError, "Exposure"):
            big.action_confirm()
        self.assertEqual(big.state, "draft")
        # in the main company the high limit applies
        self.assertFalse(self._failed(self._order(price=1200)))

    def test_credit_exposure_is_one_figure(self):
        """The customer's figure, the order form's and the check's come from one
        computation: the order adds itself to the customer's exposure until it is
        confirmed, then counts once, within the customer's."""
        self._rule(name="Exposure", check="credit_exposure", outcome="warn")
        self.customer.with_context(compliance_skip=COMPLIANCE_SKIP).user_id = self.rep
        self.customer.credit_limit = 1000
        confirmed = self._order(price=600)
        confirmed.action_confirm()
        self._invoice(200, self.today + timedelta(days=10))
        order = self._order(price=300)
        partner = self.customer.with_user(self.rep)
        self.assertAlmostEqual(partner.compliance_credit_exposure, 800, delta=0.01)
        self.assertAlmostEqual(order.compliance_credit_exposure, 1100, delta=0.01)
        self.assertAlmostEqual(confirmed.compliance_credit_exposure, 800, delta=0.01)
        self.assertEqual(order.compliance_credit_limit, 1000)
        (failure,) = order._compliance_failures("confirm")
        self.assertAlmostEqual(failure["value"], order.compliance_credit_exposure, delta=0.01)
        self.assertEqual(failure["limit"], order.compliance_credit_limit)
        self.assertAlmostEqual(failure["values"]["exposure"], 1100, delta=0.01)

    def test_credit_situation_of_orders_of_two_companies(self):
        """Orders of two companies checked together: each reads the limit and the
        exposure of its own company."""
        branch = self.env["res.company"].create(
            {"name": "Credit Branch", "currency_id": self.company.currency_id.id}
        )
        self.rep.sudo().company_ids |= branch
        self.customer.credit_limit = 5000
        self.customer.with_company(branch).credit_limit = 1000
        self._invoice(400, self.today + timedelta(days=10))
        here = self._order(price=100)
        there = self._order(price=700, company_id=branch.id)
        situations = (here | there).sudo()._compliance_credit_situation()
        self.assertAlmostEqual(situations[here.id][0], 500, delta=0.01)
        self.assertEqual(situations[here.id][1], 5000)
        self.assertAlmostEqual(situations[there.id][0], 700, delta=0.01)
        self.assertEqual(situations[there.id][1], 1000)

    def test_overdue_receivables(self):
        self._rule(name="Overdue", check="overdue", overdue_days=30)
        order = self._order()
        self._invoice(100, self.today - timedelta(days=10))
        self.assertFalse(self._failed(order))
        self._invoice(100, self.today - timedelta(days=45))
        self.assertEqual(self._failed(order), ["Overdue"])

    def test_credit_review_needed_for_non_cash_terms(self):
        self._rule(name="Review", check="credit_review")
        cash = self._order(payment_term_id=self.immediate.id)
        self.assertFalse(self._failed(cash))
        credit = self._order(payment_term_id=self.term_30.id)
        self.assertEqual(self._failed(credit), ["Review"])
        # an expired review does not count
        self._review(
            self.rating_a,
            date=self.today - timedelta(days=400),
            valid_until=self.today - timedelta(days=35),
        )
        self.assertEqual(self._failed(credit), ["Review"])
        self._review(self.rating_a)
        self.assertFalse(self._failed(credit))
        self.assertTrue(self.customer.compliance_credit_review_valid)
        self.assertEqual(self.customer.compliance_credit_rating_id, self.rating_a)

    def test_rating_payment_terms(self):
        self._rule(name="Rating terms", check="rating_terms")
        self._review(self.rating_c)
        order = self._order(payment_term_id=self.term_30.id)
        self.assertEqual(self._failed(order), ["Rating terms"])
        order.payment_term_id = self.immediate
        self.assertFalse(self._failed(order))

    def test_discount_ceiling_per_group_team_and_user(self):
        Ceiling = self.env["sales.compliance.discount.ceiling"].with_user(self.officer)
        Ceiling.create(
            {"group_id": self.env.ref("sales_team.group_sale_salesman").id, "max_discount": 5}
        )
        Ceiling.create(
            {
                "group_id": self.env.ref("sales_team.group_sale_salesman_all_leads").id,
                "max_discount": 10,
            }
        )
        self._rule(name="Discount", check="discount_ceiling", message="{value}% over {limit}%")
        order = self._order(discount=8)
        failures = order._compliance_failures("confirm")
        self.assertEqual([f["rule"].name for f in failures], ["Discount"])
        self.assertEqual(failures[0]["message"], "8.00% over 5.00%")
        leader_order = self._order(user=self.leader, discount=8)
        self.assertFalse(self._failed(leader_order))
        # a team ceiling raises the rep's own ceiling
        Ceiling.create({"team_id": self.team.id, "max_discount": 9})
        self.assertFalse(self._failed(order))
        Ceiling.create({"user_id": self.rep2.id, "max_discount": 50})
        self.assertFalse(self._failed(self._order(user=self.rep2, discount=40)))

    def test_ceiling_above_100_refused(self):
        Ceiling = self.env["sales.compliance.discount.ceiling"].with_user(self.officer)
        with self.assertRaisesMsg(ValidationError, "between 0% and 100%"):
            Ceiling.create({"team_id": self.team.id, "max_discount": 120})
        with self.assertRaisesMsg(ValidationError, "between 0% and 100%"):
            Ceiling.create({"team_id": self.team.id, "max_discount": -1})
        self.assertFalse(Ceiling.search([("team_id", "=", self.team.id)]))

    def test_price_floor_cost_plus_margin(self):
        self._rule(name="Floor", check="price_floor", min_margin=20)
        # cost 60, +20% = 72
        self.assertFalse(self._failed(self._order(price=80)))
        self.assertEqual(self._failed(self._order(price=100, discount=30)), ["Floor"])
        self.assertEqual(self._failed(self._order(price=70)), ["Floor"])

    def test_price_floor_pricelist(self):
        floor = self.env["product.pricelist"].create(
            {
                "name": "Floor prices",
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": self.product.product_tmpl_id.id,
                            "compute_price": "fixed",
                            "fixed_price": 90,
                        }
                    )
                ],
            }
        )
        self._rule(name="Floor", check="price_floor", floor_pricelist_id=floor.id)
        self.assertFalse(self._failed(self._order(price=95)))
        self.assertEqual(self._failed(self._order(price=85)), ["Floor"])

    def test_price_floor_pricelist_rate_per_order_date(self):
        # floor price 100 in a foreign currency worth 1.0, then 0.5 company currency
        currency = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("id", "!=", self.company.currency_id.id)], limit=1)
        )
        currency.active = True
        self.env["res.currency.rate"].create(
            [
                {"currency_id": currency.id, "company_id": self.company.id, "name": d, "rate": r}
                for d, r in (("2001-01-01", 1.0), ("2001-06-01", 2.0))
            ]
        )
        floor = self.env["product.pricelist"].create(
            {
                "name": "Foreign floor prices",
                "currency_id": currency.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": self.product.product_tmpl_id.id,
                            "compute_price": "fixed",
                            "fixed_price": 100,
                        }
                    )
                ],
            }
        )
        self._rule(name="Floor", check="price_floor", floor_pricelist_id=floor.id)
        early = self._order(price=80, date_order="2001-03-01 10:00:00")
        late = self._order(price=80, date_order="2001-07-01 10:00:00")
        self.assertEqual(early.currency_id, self.company.currency_id)
        # checked together: each order converts with the rate of its own date
        failures = (early | late)._compliance_failures("confirm")
        self.assertEqual([f["record"] for f in failures], [early])

    def test_contract_terms(self):
        self._rule(name="Terms", check="contract_terms")
        order = self._order()
        self.assertEqual(self._failed(order), ["Terms"])
        order.write(
            {
                "payment_term_id": self.term_30.id,
                "client_order_ref": "PO-1",
                "commitment_date": datetime(2026, 6, 1, 9),
            }
        )
        self.assertFalse(self._failed(order))

    def test_contract_terms_listed_fields(self):
        note_field = self.env["ir.model.fields"]._get("sale.order", "note")
        self._rule(
            name="Terms", check="contract_terms", required_field_ids=[Command.set(note_field.ids)]
        )
        order = self._order(note=False)
        self.assertEqual(self._failed(order), ["Terms"])
        order.note = "<p>Delivery in Shanghai</p>"
        self.assertFalse(self._failed(order))

    def test_amount_threshold(self):
        self._rule(name="Amount", check="amount", amount_limit=1000)
        self.assertFalse(self._failed(self._order(lines=5, price=200)))
        self.assertEqual(self._failed(self._order(lines=6, price=200)), ["Amount"])

    def test_ownership_on_order_and_lead(self):
        self._rule(name="Owner", check="ownership")
        self._rule(name="Owner lead", model_name="crm.lead", trigger="save", check="ownership")
        self.customer.with_context(compliance_skip=COMPLIANCE_SKIP).write(
            {"user_id": self.rep2.id, "compliance_protection_end": self.today + timedelta(days=10)}
        )
        order = self._order()
        self.assertEqual(self._failed(order), ["Owner"])
        self.assertFalse(self._failed(self._order(user=self.rep2)))
        with self.assertRaisesMsg(UserError, "Owner lead"):
            self.env["crm.lead"].with_user(self.rep).create(
                {"name": "Poaching", "partner_id": self.customer.id}
            )
        # protection over: anyone may sell
        self.customer.with_context(compliance_skip=COMPLIANCE_SKIP).compliance_protection_end = (
            self.today - timedelta(days=1)
        )
        self.assertFalse(self._failed(order))

    def test_quotation_for_protected_customer_blocked_on_create(self):
        self._rule(name="Owner quote", trigger="save", check="ownership")
        self.customer.with_context(compliance_skip=COMPLIANCE_SKIP).user_id = self.rep2
        count = self.env["sale.order"].search_count([])
        with self.assertRaisesMsg(UserError, "Owner quote"):
            self._order()
        self.assertEqual(self.env["sale.order"].search_count([]), count)
        self.assertEqual(self._order(user=self.rep2).partner_id, self.customer)

    def test_partner_shows_credit_situation(self):
        self.customer.with_context(compliance_skip=COMPLIANCE_SKIP).user_id = self.rep
        self.customer.credit_limit = 5000
        self._order(price=700).action_confirm()
        self._review(self.rating_a)
        partner = self.customer.with_user(self.rep)
        self.assertAlmostEqual(partner.compliance_credit_exposure, 700, delta=0.01)
        self.assertEqual(partner.compliance_credit_rating_id, self.rating_a)
        order = self._order(price=300)
        self.assertAlmostEqual(order.compliance_credit_exposure, 1000, delta=0.01)
        self.assertEqual(order.compliance_credit_limit, 5000)
        self.assertTrue(order.compliance_credit_review_valid)
