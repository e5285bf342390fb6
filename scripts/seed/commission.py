"""Commission of the seeded organisation (Seeder.make_commission), and a compliance rule's
dry-run (Seeder.make_rule_dry_run): a regional scheme assigned to
every seeded team, revenue targets for each of the last 12 months, the statements of the last
three months (the two older ones confirmed), two what-if scenarios of the scheme and a what-if
replaying them on the last 12 months: "Commission" and "What-if" have content on the day the
demo is made."""

# (from %, to %, rate %) of the regional scheme, and what each scenario changes
TIERS = ((0.0, 80.0, 2.0), (80.0, 100.0, 3.0), (100.0, 0.0, 4.0))
SCENARIOS = (
    ({"accelerator": 1.5}, "更高加速系数", "Higher accelerator"),
    ({"threshold_pct": 60.0, "cap_amount": 20000.0}, "门槛与封顶", "Threshold and cap"),
)
# the discount above which the draft change of the gate's discount rule asks an approval
DRY_RUN_DISCOUNT = 8.0


class CommissionSteps:
    def make_commission(self):
        env = self.env
        if "sales.commission.whatif" not in env or self.bench:
            return
        # Odoo's environment (dateutil with it) is set up by the seed's entry point
        from dateutil.relativedelta import relativedelta  # noqa: PLC0415

        admin = env.ref("base.user_admin")
        first = self.today.replace(day=1)
        for months in range(12, 0, -1):
            self.make_month_targets(first - relativedelta(months=months))
        Scheme = env["sales.commission.scheme"].with_user(admin)
        scheme = Scheme.create(
            {
                "name": "区域销售提成" if self.chinese else "Regional sales commission",
                "company_id": self.company.id,
                "base": "revenue",
                "tier_mode": "progressive",
                "accelerator": 1.2,
                "tier_ids": [
                    (0, 0, {"from_pct": low, "to_pct": high, "rate": rate})
                    for low, high, rate in TIERS
                ],
                "assignment_ids": [(0, 0, {"team_id": team.id}) for team in self.teams],
            }
        )
        Statement = env["sales.commission.statement"].with_user(admin)
        for months in (3, 2, 1):
            start = first - relativedelta(months=months)
            statements = Statement._generate_statements(
                start, start + relativedelta(months=1, days=-1), companies=self.company
            ).filtered(lambda s, scheme=scheme: s.scheme_id == scheme)
            if months > 1:
                statements.action_confirm()
            self.counts["commission_statements"] = self.counts.get(
                "commission_statements", 0
            ) + len(statements)
        scenarios = Scheme.browse()
        for changes, name_zh, name_en in SCENARIOS:
            action = scheme.action_new_scenario()
            scenario = Scheme.browse(action["res_id"])
            scenario.write({**changes, "name": name_zh if self.chinese else name_en})
            scenarios |= scenario
        whatif = (
            env["sales.commission.whatif"]
            .with_user(admin)
            .create(
                {
                    "name": "明年提成方案测算" if self.chinese else "Next year's plan",
                    "company_id": self.company.id,
                    "scheme_id": scheme.id,
                    "scenario_ids": [(6, 0, scenarios.ids)],
                    "period_kind": "last_12_months",
                    "coverage": "all",
                }
            )
        )
        whatif.action_run()
        self.counts["whatif_lines"] = len(whatif.line_ids)
        self.commit()

    def make_rule_dry_run(self):
        """The gate's discount rule tried lower, on the last 12 months: a draft change of the
        active rule (8 % instead of 10 %) and its dry-run, old against new."""
        env = self.env
        gate = getattr(self, "gate", None)
        if "sales.compliance.rule.dry.run" not in env or self.bench or not gate:
            return
        admin = env.ref("base.user_admin")
        rule = gate.rules["discount"].with_user(admin)
        action = rule.action_try_change()
        draft = rule.browse(action["res_id"])
        draft.domain = f"[('discount', '>', {DRY_RUN_DISCOUNT})]"
        action = draft.action_try_on_past_records()
        dry_run = env["sales.compliance.rule.dry.run"].with_user(admin).browse(action["res_id"])
        dry_run.action_run()
        self.counts["dry_run_hits"] = dry_run.hit_count
        self.commit()
