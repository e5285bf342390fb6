from odoo import SUPERUSER_ID, Command
from odoo.addons.sales_compliance.tests.common import ComplianceCase, count_cursors
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRuleCode(ComplianceCase):
    """Only system administrators write code; a rule's code only reads, with the rights
    of the user checked (issue #8, 1.1)."""

    def _rule_count(self):
        return self.Rule.with_context(active_test=False).search_count([])

    def test_officer_cannot_write_python_rules(self):
        count = self._rule_count()
        with self.assertRaisesMsg(AccessError, "Only system administrators"):
            self.Rule.with_user(self.officer).create(
                {
                    "name": "Officer code",
                    "condition_type": "python",
                    "python_code": "record.amount_total > 0",
                }
            )
        # nor through defaults taken from the context
        with self.assertRaisesMsg(AccessError, "Only system administrators"):
            self.Rule.with_user(self.officer).with_context(
                default_condition_type="python", default_python_code="record.amount_total > 0"
            ).create({"name": "Officer code by default"})
        self.assertEqual(self._rule_count(), count)
        rule = self._rule(name="Admin code", condition_type="python", python_code="False")
        self.assertEqual(rule.create_uid, self.sysadmin)
        for vals in (
            {"python_code": "record.amount_total > 0"},
            {"name": "Renamed", "outcome": "warn"},
        ):
            with self.assertRaisesMsg(AccessError, "Only system administrators"):
                rule.with_user(self.officer).write(vals)
        self.assertEqual(rule.python_code, "False")
        self.assertEqual(rule.name, "Admin code")
        # nor turn a domain rule into code
        domain_rule = self._rule(name="Domain", condition_type="domain", domain="[]")
        with self.assertRaisesMsg(AccessError, "Only system administrators"):
            domain_rule.with_user(self.officer).write(
                {"condition_type": "python", "python_code": "True"}
            )
        self.assertEqual(domain_rule.condition_type, "domain")
        # officers keep domains
        domain_rule.with_user(self.officer).write({"domain": "[('amount_total', '>', 10)]"})
        self.assertEqual(domain_rule.domain, "[('amount_total', '>', 10)]")

    def test_code_that_writes_is_refused_on_save(self):
        count = self._rule_count()
        for code in (
            "record.env.ref('base.group_system').write({'users': [(4, user.id)]})",
            "user.sudo().write({'groups_id': [(4, 1)]})",
            "record.write({'client_order_ref': 'changed'})",
            "record.partner_id.action_archive()",
            "record.order_line.mapped(record.order_line.unlink)",
            "record.env['res.users'].search([])",
            "record._cr",
        ):
            with self.subTest(code=code):
                with self.assertRaisesMsg(ValidationError, "is not allowed"):
                    self._rule(name="Evil", condition_type="python", python_code=code)
        # a statement is no expression
        with self.assertRaisesMsg(ValidationError, "does not parse"):
            self._rule(
                name="Evil statement",
                condition_type="python",
                python_code="record.env.ref('base.group_system').users |= user",
            )
        self.assertEqual(self._rule_count(), count)
        # a domain written by an officer cannot hide code either
        with self.assertRaisesMsg(ValidationError, "is not allowed"):
            self._rule(
                name="Evil domain",
                condition_type="domain",
                domain="[('user_id', '=', user.sudo().write({'name': 'x'}))]",
            )
        self.assertEqual(self._rule_count(), count)

    def test_stored_code_cannot_write_anything(self):
        """Code slipped past the form (SQL, a data file) is refused before it runs: the
        order is blocked, the user gets no rights and the order is not changed."""
        rule = self._rule(name="Slipped code", condition_type="python", python_code="False")
        code = (
            "record.write({'client_order_ref': 'PWNED'}) or "
            "user.env.ref('base.group_system').sudo().write({'users': [(4, user.id)]})"
        )
        self.env.cr.execute(
            "UPDATE sales_compliance_rule SET python_code = %s WHERE id = %s", (code, rule.id)
        )
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        order = self._order()
        error = None
        try:  # no assertRaises: its savepoint would hide a write done by the rule
            order.action_confirm()
        except UserError as exc:
            error = exc
        self.assertIn("Slipped code", str(error))
        self.env.invalidate_all()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.client_order_ref)
        self.assertFalse(self.rep.has_group("base.group_system"))

    def test_rules_read_with_the_rights_of_the_user(self):
        """A rule reading the credit limit (accounting data) sees it for an accountant
        and not for a rep: evaluated as superuser it would see it for everybody."""
        accounting = self.env.ref("account.group_account_readonly")
        self.sysadmin.groups_id |= accounting
        self._rule(
            name="Receivables read",
            condition_type="python",
            python_code="record.partner_id.credit_limit < 0",
        )
        order = self._order()
        self.env.invalidate_all()
        with self.assertRaisesMsg(UserError, "Receivables read"):
            order.action_confirm()  # the rep may not read credit: fails closed
        self.assertEqual(order.state, "draft")
        accountant = new_test_user(
            self.env,
            login="cmp_accountant_rep",
            groups="sales_team.group_sale_salesman_all_leads,account.group_account_readonly",
        )
        self.env.invalidate_all()
        order.with_user(accountant).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_officer_domain_checked_with_own_rights(self):
        """Saving a domain tries it with the officer's rights, not as superuser."""
        self.assertFalse(self.officer.has_group("account.group_account_readonly"))
        count = self._rule_count()
        with self.assertRaisesMsg(ValidationError, "not valid"):
            self._rule(
                name="Receivables domain",
                condition_type="domain",
                domain="[('partner_id.credit_limit', '>', 1000)]",
            )
        self.assertEqual(self._rule_count(), count)

    def test_superuser_actions_run_rules_as_the_salesperson(self):
        """Actions Odoo runs as superuser (OdooBot, portal signature) evaluate the rules
        as the salesperson of the document, not as superuser."""
        self._rule(
            name="Not the salesperson",
            condition_type="python",
            python_code="user != record.user_id",
        )
        order = self._order()
        as_root = order.with_user(SUPERUSER_ID)
        self.assertFalse(as_root._compliance_failures("confirm"))
        failures = order.with_user(self.officer)._compliance_failures("confirm")
        self.assertEqual([f["record"] for f in failures], [order])


@tagged("post_install", "-at_install")
class TestScopeFields(ComplianceCase):
    """Fields a rep can edit after an approval void it; the lower ceiling applies
    (issue #8, 1.3)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._salesman_ceiling()
        cls.env["sales.compliance.discount.ceiling"].create(
            {"user_id": cls.leader.id, "max_discount": 30}
        )
        cls.rep_all = new_test_user(
            cls.env,
            login="cmp_rep_all",
            groups="sales_team.group_sale_salesman_all_leads",
            name="Rep Liu",
        )
        cls.team.member_ids |= cls.rep_all

    def test_ceiling_of_the_confirming_user_applies(self):
        self._rule(name="Discount ceiling", check="discount_ceiling")
        order = self._order(user=self.rep_all, discount=20)
        # the rep makes the team leader (30%) the salesperson to borrow the ceiling
        order.write({"user_id": self.leader.id})
        with self.assertRaisesMsg(UserError, "Discount ceiling"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        # the salesperson's ceiling counts too: the leader cannot confirm it for a rep
        order.write({"user_id": self.rep_all.id})
        with self.assertRaisesMsg(UserError, "Discount ceiling"):
            order.with_user(self.leader).action_confirm()
        order.with_user(self.leader).write({"user_id": self.leader.id})
        order.with_user(self.leader).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_scope_changes_void_the_approval(self):
        self._discount_approval_rule()
        Approval = self.env["sales.compliance.approval"]
        fiscal = self.env["account.fiscal.position"].create({"name": "Export"})
        shipping = self.env["res.partner"].create(
            {"name": "Warehouse Chen", "type": "delivery", "parent_id": self.customer.id}
        )
        for vals in (
            {"team_id": self.other_team.id},
            {"fiscal_position_id": fiscal.id},
            {"partner_shipping_id": shipping.id},
            {"user_id": self.rep2.id},
        ):
            with self.subTest(vals=vals):
                order = self._order(
                    user=self.rep_all, discount=8, partner_shipping_id=self.customer.id
                )
                order.action_compliance_request_approval()
                approval = Approval.search(
                    [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
                )
                approval.with_user(self.leader).action_approve("ok")
                self.assertEqual(approval.state, "approved")
                order.write(vals)
                self.assertEqual(approval.state, "voided")
                with self.assertRaisesMsg(UserError, "Discount approval"):
                    order.action_confirm()
                self.assertEqual(order.state, "draft")


@tagged("post_install", "-at_install")
class TestLineDiscountRange(ComplianceCase):
    """A line discount is never above 100% (issue #8, 2.8); a negative one is a surcharge."""

    def test_discount_above_100_refused(self):
        order = self._order()
        Line = self.env["sale.order.line"].with_user(self.rep)
        with self.assertRaisesMsg(ValidationError, "cannot be above 100%"):
            Line.create({"order_id": order.id, "product_id": self.product.id, "discount": 120.0})
        self.assertEqual(len(order.order_line), 1)
        with self.assertRaisesMsg(ValidationError, "cannot be above 100%"):
            order.order_line.write({"discount": 100.5})
        self.assertEqual(order.order_line.discount, 0.0)
        self.assertGreaterEqual(order.amount_total, 0.0)
        order.order_line.write({"discount": 100.0})
        self.assertEqual(order.amount_untaxed, 0.0)

    def test_negative_discount_is_a_surcharge_as_in_odoo(self):
        order = self._order(price=100.0)
        order.order_line.write({"discount": -10.0})
        self.assertAlmostEqual(order.amount_untaxed, 110.0)


@tagged("post_install", "-at_install")
class TestApprovalLevels(ComplianceCase):
    """An approval rule can always be approved; levels of domain and expression rules
    pick on the order amount (issue #8, 2.9)."""

    def test_levels_must_cover_every_value(self):
        count = self.Rule.with_context(active_test=False).search_count([])
        for levels in (
            [],
            [Command.create({"name": "Manager", "approver_type": "team_leader", "min_value": 10})],
        ):
            with self.subTest(levels=levels):
                with self.assertRaisesMsg(ValidationError, "Above Value” 0"):
                    self._rule(
                        name="Uncovered",
                        check="discount_ceiling",
                        outcome="approval",
                        level_ids=levels,
                    )
        self.assertEqual(self.Rule.with_context(active_test=False).search_count([]), count)
        rule = self._rule(
            name="Covered",
            check="discount_ceiling",
            outcome="approval",
            level_ids=[
                Command.create({"name": "Leader", "approver_type": "team_leader"}),
                Command.create(
                    {"name": "Manager", "approver_type": "team_leader", "min_value": 10}
                ),
            ],
        )
        base = rule.level_ids.filtered(lambda lvl: not lvl.min_value)
        Level = self.env["sales.compliance.rule.level"].with_user(self.officer)
        with self.assertRaisesMsg(ValidationError, "Above Value” 0"):
            Level.browse(base.id).write({"min_value": 5})
        with self.assertRaisesMsg(ValidationError, "Above Value” 0"):
            Level.browse(base.id).unlink()
        with self.assertRaisesMsg(ValidationError, "Above Value” 0"):
            rule.with_user(self.officer).write({"level_ids": [Command.unlink(base.id)]})
        self.assertEqual(len(rule.level_ids), 2)
        self.assertFalse(base.min_value)
        # moving the base level in one save is fine
        rule.with_user(self.officer).write(
            {
                "level_ids": [
                    Command.update(base.id, {"min_value": 5}),
                    Command.create(
                        {"name": "Desk", "approver_type": "user", "user_id": self.officer.id}
                    ),
                ]
            }
        )
        self.assertEqual(sorted(rule.level_ids.mapped("min_value")), [0.0, 5.0, 10.0])
        # replacing the levels in one save is fine
        rule.with_user(self.officer).write(
            {
                "level_ids": [
                    Command.clear(),
                    Command.create(
                        {"name": "Officer", "approver_type": "user", "user_id": self.officer.id}
                    ),
                ]
            }
        )
        self.assertEqual(rule.level_ids.name, "Officer")
        with self.assertRaisesMsg(ValidationError, "Above Value” 0"):
            rule.with_user(self.officer).write({"level_ids": [Command.clear()]})
        self.assertEqual(rule.level_ids.name, "Officer")

    def test_customer_rule_levels_cannot_depend_on_value(self):
        with self.assertRaisesMsg(ValidationError, "cannot depend on a value"):
            self._rule(
                name="Customer approval",
                model_name="res.partner",
                trigger="save",
                condition_type="domain",
                domain="[('ref', '=', 'VIP')]",
                outcome="approval",
                level_ids=[
                    Command.create(
                        {"name": "Officer", "approver_type": "user", "user_id": self.officer.id}
                    ),
                    Command.create(
                        {
                            "name": "Manager",
                            "approver_type": "user",
                            "user_id": self.manager.id,
                            "min_value": 1,
                        }
                    ),
                ],
            )

    def test_domain_rule_levels_pick_on_the_order_amount(self):
        self._rule(
            name="Discounted lines",
            condition_type="domain",
            apply_on_lines=True,
            domain="[('discount', '>', 10)]",
            outcome="approval",
            level_ids=[
                Command.create({"name": "Team leader", "approver_type": "team_leader"}),
                Command.create(
                    {
                        "name": "Sales manager",
                        "approver_type": "user",
                        "user_id": self.manager.id,
                        "min_value": 500,
                        "sequence": 20,
                    }
                ),
            ],
        )
        Approval = self.env["sales.compliance.approval"].with_user(self.rep)
        small = self._order(lines=2, discount=15)  # 170 untaxed
        big = self._order(lines=10, discount=15)  # 850 untaxed
        for order, levels in ((small, ["Team leader"]), (big, ["Team leader", "Sales manager"])):
            with self.subTest(order=order.amount_untaxed):
                order.action_compliance_request_approval()
                approval = Approval.search(
                    [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
                )
                self.assertEqual(approval.step_ids.mapped("name"), levels)
                self.assertEqual(approval.value, order.amount_untaxed)


@tagged("post_install", "-at_install")
class TestUnprivilegedEvaluationCost(ComplianceCase):
    """Rules run without superuser rights at no extra query nor cursor, also when Odoo
    confirms as superuser and the rules run as the salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rules = []
        for i in range(5):
            rules += [
                {"condition_type": "domain", "domain": f"[('amount_untaxed', '>', {10**9 + i})]"},
                {"condition_type": "python", "python_code": f"record.amount_total < -{i}"},
                {
                    "condition_type": "domain",
                    "apply_on_lines": True,
                    "domain": f"[('discount', '>', {90 + i})]",
                },
                {
                    "condition_type": "python",
                    "apply_on_lines": True,
                    "python_code": f"line.price_unit < -{i} or user != record.user_id",
                },
            ]
        cls.rules = cls.Rule.with_user(cls.sysadmin).create(
            [
                dict(vals, name=f"Rule {n}", model_name="sale.order", trigger="confirm")
                for n, vals in enumerate(rules)
            ]
        )

    def _confirm_queries(self, order):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        with count_cursors() as cursors:
            order.with_user(SUPERUSER_ID).action_confirm()
            self.env.flush_all()
        self.assertEqual(order.state, "sale")
        self.assertEqual(cursors["opened"], 0)
        return self.env.cr.sql_log_count - before

    def test_superuser_confirmation_overhead(self):
        self._confirm_queries(self._order(lines=2))
        with_small = self._confirm_queries(self._order(lines=2))
        with_large = self._confirm_queries(self._order(lines=50))
        self.rules.write({"active": False})
        self._confirm_queries(self._order(lines=2))
        without_small = self._confirm_queries(self._order(lines=2))
        without_large = self._confirm_queries(self._order(lines=50))
        self.assertEqual(with_small - without_small, with_large - without_large)
        self.assertLessEqual(with_large - without_large, 1)
