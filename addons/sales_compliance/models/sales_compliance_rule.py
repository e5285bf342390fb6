import ast
import logging
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api, fields, models, tools
from odoo.exceptions import AccessError, ValidationError
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval, test_python_expr

from ..tools.registry import ExtensionError, MethodRegistry
from .sales_compliance_rule_eval import filter_domain, parse_literal_domain, unsafe_attribute

_logger = logging.getLogger(__name__)

RULE_MODELS = [
    ("res.partner", "Customer"),
    ("crm.lead", "Lead / Opportunity"),
    ("sale.order", "Sales Order"),
]

TRIGGERS = [
    ("save", "On save"),
    ("stage", "On stage change (leads)"),
    ("send", "On sending the quotation"),
    ("confirm", "On order confirmation"),
]

# Context value set by the rule's own write (a Python object: no client can send it)
LEVELS_WRITE = object()

# Prefix of the evaluators of the built-in checks: their own, never the ``_check_``
# of the constraints (a check named “message” must not call ``_check_message``).
CHECK_PREFIX = "_compliance_check_"


class ComplianceCheck(NamedTuple):
    """What the registry knows of a built-in check (see ``compliance_check``)."""

    key: str
    method: str  # name of the evaluator on sales.compliance.rule
    models: tuple  # models whose rules may use the check
    measured: bool  # its value measures the breach: approval levels pick on it
    # ((model, field paths of the record the check reads), ...): approvals bind them
    reads: tuple = ()
    credit: bool = False  # its figures come from credit data: shown as credit data is


def compliance_check(models=("sale.order",), measured=False, reads=None, credit=False):
    """Declare a method of ``sales.compliance.rule`` as the evaluator of a built-in check.

    The method is named ``_compliance_check_<key>``, ``<key>`` being the value the
    check adds to the rule's ``check`` selection. It receives the records of the
    rule's model (``models`` lists those it supports) and returns
    ``{record_id: (value, limit, values)}`` for the records that violate the rule,
    ``values`` being JSON-serialisable facts kept on the violation. With
    ``measured`` the value measures the breach (a discount, an amount, an exposure):
    the rule's approval levels pick on it rather than on the amount of the order.
    ``reads`` maps models to the field paths of the record the check reads: an approval
    of the rule binds their values (the record's own hash values bind the rest). With
    ``credit`` the value, limit and facts come from a customer's credit data (credit
    limit, receivables): only the users who may see that customer's credit read them
    (see ``sales.compliance.violation.credit_figures``).

    The registry (``sales.compliance.rule._compliance_checks()``) is read from the
    model's class, so another addon adds a check with a ``selection_add`` on
    ``check`` and one decorated method, without any list to edit.
    """
    if isinstance(models, str):
        models = (models,)
    supported = {model for model, _label in RULE_MODELS}
    if not models or not set(models) <= supported:
        raise ValueError(f"compliance_check: models must be among {sorted(supported)}")

    def decorate(method):
        key = method.__name__.removeprefix(CHECK_PREFIX)
        if not method.__name__.startswith(CHECK_PREFIX) or not key:
            raise TypeError(f"{method.__name__}: a compliance check is named {CHECK_PREFIX}<key>")
        method._compliance_check = ComplianceCheck(
            key,
            method.__name__,
            tuple(models),
            bool(measured),
            tuple((model, tuple(paths)) for model, paths in (reads or {}).items()),
            bool(credit),
        )
        return method

    return decorate


class _SafeFormat(dict):
    """Mapping used to render rule messages: unknown placeholders stay visible."""

    def __missing__(self, key):
        return "{" + key + "}"


def _evaluator_declaration(cls, name):
    """The ``ComplianceCheck`` of the evaluator ``name`` of ``cls``: that of the nearest
    class declaring it, so an override without the decorator keeps it."""
    for klass in cls.__mro__:
        check = getattr(klass.__dict__.get(name), "_compliance_check", None)
        if check:
            return check
    return None


def _evaluator_problem(rule, name, function):
    if not _evaluator_declaration(type(rule), name):
        return "is not declared with @compliance_check: the rules of its check fail closed"
    return None


def _evaluator_result_problem(result, records):
    """What is wrong with what an evaluator returned for ``records``, or None."""
    if not isinstance(result, dict):
        return f"must return {{record_id: (value, limit, values)}}, not {type(result).__name__}"
    strays = set(result).difference(records._ids)
    if strays:
        return (
            f"returned keys that are not ids of the records it checks: {sorted(map(str, strays))}"
        )
    for outcome in result.values():
        if not (isinstance(outcome, tuple | list) and len(outcome) == 3):
            return f"must map a record id to (value, limit, values), not {outcome!r}"
        if not isinstance(outcome[2], dict):
            return f"must give its values as a dict, not {outcome[2]!r}"
    return None


# The evaluators of the built-in checks (see ``SalesComplianceRule._compliance_checks``)
EVALUATORS = MethodRegistry(
    CHECK_PREFIX, check=_evaluator_problem, result=_evaluator_result_problem
)


class SalesComplianceRule(models.Model):
    _name = "sales.compliance.rule"
    _description = "Sales Compliance Rule"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        help="Leave empty to apply the rule in every company.",
    )
    team_ids = fields.Many2many(
        "crm.team",
        string="Sales Teams",
        help="Leave empty to apply the rule to every sales team.",
    )
    model_name = fields.Selection(
        RULE_MODELS, string="Applies To", required=True, default="sale.order", tracking=True
    )
    trigger = fields.Selection(TRIGGERS, required=True, default="confirm", tracking=True)
    condition_type = fields.Selection(
        [
            ("builtin", "Built-in check"),
            ("domain", "Domain"),
            ("python", "Python expression"),
        ],
        string="Condition",
        required=True,
        default="builtin",
        tracking=True,
    )
    # Each family file (sales_compliance_rule_<family>.py), or another addon, adds its
    # checks with a selection_add and a @compliance_check evaluator.
    check = fields.Selection([], string="Built-in Check", tracking=True)
    apply_on_lines = fields.Boolean(
        string="Evaluate on Order Lines",
        help="For sales order rules with a domain or an expression: evaluate the condition "
        "on every order line. The order violates the rule when one of its lines matches.",
    )
    domain = fields.Char(
        default="[]",
        help="Records matching this domain violate the rule.",
    )
    python_code = fields.Text(
        string="Python Expression",
        help="A violation when the expression is true. Available names: record (the "
        "customer, lead or order), line (the order line, for line rules), user, company, "
        "today, datetime, relativedelta. The expression reads values with the rights of "
        "the user who saves or confirms; it cannot call methods. Only system "
        "administrators write expressions.",
    )
    outcome = fields.Selection(
        [
            ("block", "Block"),
            ("warn", "Warn"),
            ("approval", "Require approval"),
        ],
        required=True,
        default="block",
        tracking=True,
    )
    message = fields.Char(
        translate=True,
        help="Shown to the user. Placeholders: {record}, {rule}, {value}, {limit}, {user}.",
    )
    # Parameters of the built-in checks
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        help="Currency of the thresholds: the rule's company currency.",
    )
    amount_limit = fields.Monetary(
        string="Amount Threshold",
        currency_field="currency_id",
        help="Order amount check: the untaxed total (company currency) above which the rule fires.",
    )
    overdue_days = fields.Integer(default=30, help="Overdue check: tolerated days past due.")
    min_margin = fields.Float(
        string="Minimum Margin (%)",
        help="Price floor check: minimum margin over the product cost.",
    )
    floor_pricelist_id = fields.Many2one(
        "product.pricelist",
        help="Price floor check: the pricelist giving the minimum price.",
    )
    required_field_ids = fields.Many2many(
        "ir.model.fields",
        string="Required Fields",
        domain="[('model', '=', 'sale.order'), ('store', '=', True)]",
        help="Contract terms check: order fields that must be filled. Empty: delivery "
        "date, payment terms and customer reference.",
    )
    level_ids = fields.One2many(
        "sales.compliance.rule.level", "rule_id", string="Approval Levels", copy=True
    )
    approval_after_move = fields.Boolean(
        string="Move and Ask Afterwards",
        tracking=True,
        help="Lead stage rules requiring an approval: the lead moves to its new stage at "
        "once and the approval is asked afterwards. Unticked, the lead stays in its stage "
        "until the request is approved.",
    )
    violation_count = fields.Integer(compute="_compute_violation_count")

    @api.depends("company_id")
    def _compute_currency_id(self):
        for rule in self:
            rule.currency_id = (rule.company_id or self.env.company).currency_id

    def _compute_violation_count(self):
        groups = self.env["sales.compliance.violation"]._read_group(
            [("rule_id", "in", self.ids)], ["rule_id"], ["__count"]
        )
        counts = {rule.id: count for rule, count in groups}
        for rule in self:
            rule.violation_count = counts.get(rule.id, 0)

    # ------------------------------------------------------------------
    # Validation of the rule itself
    # ------------------------------------------------------------------
    @api.constrains("amount_limit", "overdue_days", "min_margin")
    def _check_limits(self):
        for rule in self:
            if rule.amount_limit < 0:
                raise ValidationError(
                    self.env._("Rule %s: the amount threshold cannot be negative.", rule.name)
                )
            if rule.overdue_days < 0:
                raise ValidationError(
                    self.env._("Rule %s: the overdue days cannot be negative.", rule.name)
                )
            if rule.min_margin < 0:
                raise ValidationError(
                    self.env._("Rule %s: the minimum margin cannot be negative.", rule.name)
                )

    @api.constrains("model_name", "trigger", "condition_type", "check", "apply_on_lines")
    def _check_kind(self):
        for rule in self:
            if rule.condition_type == "builtin":
                if not rule.check:
                    raise ValidationError(
                        self.env._("Rule %s: choose a built-in check.", rule.name)
                    )
                check = self._compliance_checks().get(rule.check)
                label = dict(self._fields["check"]._description_selection(self.env)).get(
                    rule.check, rule.check
                )
                if not check:
                    evaluator = CHECK_PREFIX + rule.check
                    raise ValidationError(
                        self.env._(
                            "Rule %(rule)s: the check “%(check)s” cannot be evaluated: no "
                            "installed addon provides its evaluator (%(method)s).",
                            rule=rule.name,
                            check=label,
                            method=evaluator,
                        )
                    )
                if rule.model_name not in check.models:
                    raise ValidationError(
                        self.env._(
                            "Rule %(rule)s: the check “%(check)s” does not apply to %(model)s.",
                            rule=rule.name,
                            check=label,
                            model=rule.model_name,
                        )
                    )
            if rule.trigger == "stage" and rule.model_name != "crm.lead":
                raise ValidationError(
                    self.env._("Rule %s: only lead rules can fire on a stage change.", rule.name)
                )
            if rule.trigger in ("send", "confirm") and rule.model_name != "sale.order":
                raise ValidationError(
                    self.env._(
                        "Rule %s: only sales order rules can fire on sending or confirmation.",
                        rule.name,
                    )
                )
            if rule.apply_on_lines and rule.model_name != "sale.order":
                raise ValidationError(
                    self.env._(
                        "Rule %s: only sales order rules can look at order lines.", rule.name
                    )
                )

    @api.constrains("approval_after_move", "trigger", "outcome", "model_name")
    def _check_approval_after_move(self):
        for rule in self.filtered("approval_after_move"):
            if not (rule.trigger == "stage" and rule.outcome == "approval"):
                raise ValidationError(
                    self.env._(
                        "Rule %s: “Move and ask afterwards” applies to lead stage rules that "
                        "require an approval only.",
                        rule.name,
                    )
                )

    @api.constrains("condition_type", "domain", "python_code", "model_name", "apply_on_lines")
    def _check_condition(self):
        for rule in self:
            if rule.condition_type == "domain":
                rule._validate_domain()
            elif rule.condition_type == "python":
                rule._validate_python()

    @api.constrains("message")
    def _check_message(self):
        for rule in self:
            if not rule.message:
                continue
            try:
                rule.message.format_map(
                    _SafeFormat(record="", rule="", value="", limit="", user="")
                )
            except (ValueError, IndexError, AttributeError) as exc:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the message is not valid: %(error)s",
                        rule=rule.name,
                        error=exc,
                    )
                ) from exc

    @api.constrains("outcome", "level_ids", "condition_type", "check", "model_name")
    def _check_levels(self):
        """An approval rule must always find a level to ask (else nothing could ever
        approve it): one level is needed whatever the value (“Above Value” 0)."""
        for rule in self.filtered(lambda r: r.outcome == "approval"):
            if not rule.level_ids.filtered(lambda lvl: lvl.min_value <= 0):
                raise ValidationError(
                    self.env._(
                        "Rule %s requires an approval: give it at least one approval level "
                        "with “Above Value” 0, needed whatever the value, so that every "
                        "request can be approved.",
                        rule.name,
                    )
                )
            if rule._approval_value_kind() == "none" and rule.level_ids.filtered("min_value"):
                raise ValidationError(
                    self.env._(
                        "Rule %s: its levels cannot depend on a value (“Above Value”): a "
                        "customer rule with a domain or an expression measures no amount.",
                        rule.name,
                    )
                )

    def _approval_value_kind(self):
        """What the “Above Value” of the levels compares with: ``measure`` (the value
        checked by a built-in check: discount %, amount...), ``amount`` (the amount of
        the order or the expected revenue of the lead) or ``none`` (customers)."""
        self.ensure_one()
        check = self._compliance_checks().get(self.check) if self.check else None
        if self.condition_type == "builtin" and check and check.measured:
            return "measure"
        if self.model_name in ("sale.order", "crm.lead"):
            return "amount"
        return "none"

    def _approval_value(self, record, value):
        """The value approval levels pick on for ``record`` failing with ``value``."""
        self.ensure_one()
        kind = self._approval_value_kind()
        if kind == "measure":
            return value if isinstance(value, int | float) else 0.0
        if kind == "amount" and record._name == "sale.order":
            # company currency, as the amount check
            return record.amount_untaxed / (record.currency_rate or 1.0)
        if kind == "amount" and record._name == "crm.lead":
            return record.expected_revenue
        return 0.0

    def _check_code_rights(self, vals_list=(), new=False):
        """Only system administrators write Python rules.

        Odoo's choice for server actions (``ir.actions.server.code`` belongs to
        ``base.group_system``) and OCA ``base_exception``'s: an expression is code, and
        code is the administrator's. Officers keep the built-in checks and the domains
        (data, evaluated with the rights of the user checked). Called before a create or
        write (the values sent, the rules as they are: no code runs for an officer) and
        after it (the rules as they end up, defaults included).
        """
        if self.env.is_system():
            return
        context = self.env.context
        sent = [
            *vals_list,
            # create() takes default_* keys from the context
            {
                "python_code": context.get("default_python_code"),
                "condition_type": context.get("default_condition_type"),
            },
        ]
        python = self.filtered(lambda r: r.condition_type == "python")
        if any(v.get("python_code") or v.get("condition_type") == "python" for v in sent) or (
            new and python
        ):
            raise AccessError(
                self.env._(
                    "Only system administrators may write rules with a Python "
                    "expression. Use a built-in check or a domain, or ask your "
                    "administrator."
                )
            )
        if python:
            raise AccessError(
                self.env._("Only system administrators may change a rule with a Python expression.")
            )

    def _target_model(self):
        self.ensure_one()
        return "sale.order.line" if self.apply_on_lines else self.model_name

    def _unsafe_name_error(self, expr):
        """ValidationError of ``expr`` using a name a rule may not use, or None."""
        name = unsafe_attribute(expr, self.env.registry)
        if not name:
            return None
        return ValidationError(
            self.env._(
                "Rule %(rule)s: “%(name)s” is not allowed. A rule only reads values: it "
                "cannot call methods of records (write, sudo...) nor use private names.",
                rule=self.name,
                name=name,
            )
        )

    def _parse_domain(self, env=None):
        """The domain as a list; a non-literal domain is evaluated with ``safe_eval``
        in the context of ``env`` (default: the rule's, without superuser rights)."""
        self.ensure_one()
        literal = parse_literal_domain(self.domain)
        if literal is not None:
            return literal
        error = self._unsafe_name_error(self.domain)
        if error:
            raise error
        try:
            domain = safe_eval(self.domain or "[]", self._eval_context_static(env))
        except Exception as exc:
            raise ValidationError(
                self.env._(
                    "Rule %(rule)s: the domain does not parse: %(error)s",
                    rule=self.name,
                    error=exc,
                )
            ) from exc
        if not isinstance(domain, list | tuple):
            raise ValidationError(self.env._("Rule %s: the domain must be a list.", self.name))
        return list(domain)

    def _compliance_validation_sample(self):
        """A record to try the condition on when it is saved: read with the rights of
        the user saving the rule, never as superuser (none when they cannot read the
        model: an officer without sales rights still saves a rule on orders)."""
        Target = self.env[self._target_model()].sudo(False)
        return Target.search([], limit=1) if Target.has_access("read") else Target

    def _validate_domain(self):
        domain = self._parse_domain()
        Target = self.env[self._target_model()].sudo(False)
        try:
            Target._where_calc(domain)
            self._compliance_validation_sample().filtered_domain(domain)
        except Exception as exc:
            raise ValidationError(
                self.env._(
                    "Rule %(rule)s: the domain is not valid: %(error)s", rule=self.name, error=exc
                )
            ) from exc

    def _validate_python(self):
        code = (self.python_code or "").strip()
        if not code:
            raise ValidationError(self.env._("Rule %s: write the Python expression.", self.name))
        error = test_python_expr(code, mode="eval")
        if error:
            raise ValidationError(
                self.env._(
                    "Rule %(rule)s: the expression does not parse: %(error)s",
                    rule=self.name,
                    error=error,
                )
            )
        unsafe = self._unsafe_name_error(code)
        if unsafe:
            raise unsafe
        sample = self._compliance_validation_sample()
        if not sample:
            return
        try:
            safe_eval(code, self._eval_context(sample))
        except Exception as exc:
            raise ValidationError(
                self.env._(
                    "Rule %(rule)s: the expression fails on %(record)s: %(error)s",
                    rule=self.name,
                    record=sample.display_name,
                    error=exc,
                )
            ) from exc

    def _eval_context_static(self, env=None):
        """Names of the expressions; ``user`` and ``company`` carry no superuser rights
        (``env.user`` and ``env.company`` are always superuser records)."""
        env = env or self.env
        return {
            "uid": env.uid,
            "user": env.user.sudo(False),
            "company": env.company.sudo(False),
            "today": env.company._sales_today(),
            "datetime": safe_datetime,
        }

    def _eval_context(self, target):
        ctx = self._eval_context_static(target.env)
        ctx["relativedelta"] = relativedelta
        if target._name == "sale.order.line":
            ctx.update(line=target, record=target.order_id)
        else:
            ctx.update(record=target, line=False)
        return ctx

    # ------------------------------------------------------------------
    # Registry of the built-in checks
    # ------------------------------------------------------------------
    @api.model
    def _compliance_checks(self):
        """The built-in checks ``{key: ComplianceCheck}``: the methods of the model
        marked with ``@compliance_check``, whatever addon defines them. Read once per
        registry (the class is rebuilt when addons are loaded). An override of an
        evaluator without the decorator keeps the metadata of the one it extends."""
        cls = type(self)
        checks = cls.__dict__.get("_compliance_registry")
        if checks is None:
            checks = {}
            for key in EVALUATORS.keys(self):
                try:
                    EVALUATORS.method(self, key)
                except ExtensionError as error:
                    _logger.error("%s", error)
                    continue
                check = _evaluator_declaration(cls, CHECK_PREFIX + key)
                checks[check.key] = check
            cls._compliance_registry = checks
        return checks

    def _evaluate_check(self, key, records):
        """Run the evaluator of the built-in check ``key`` on ``records``. Only the
        registry is looked up, never an arbitrary method: a rule whose check lost its
        evaluator (its addon was uninstalled) fails closed, every record violating it,
        rather than letting documents through unchecked."""
        self.ensure_one()
        check = self._compliance_checks().get(key)
        if not check or records._name not in check.models:
            _logger.warning(
                "Compliance rule %s: no evaluator of check %r for %s, counted as failed",
                self.id,
                key,
                records._name,
            )
            return {record.id: (0, 0, {"check": key or False}) for record in records}
        return EVALUATORS.call(self, check.key, records)

    # ------------------------------------------------------------------
    # Cache of the active rules
    # ------------------------------------------------------------------
    @api.model
    @tools.ormcache("model_name", "trigger")
    def _get_active_rule_ids(self, model_name, trigger):
        rules = (
            self.sudo()
            .with_context(active_test=True)
            .search([("model_name", "=", model_name), ("trigger", "=", trigger)])
        )
        return tuple(rules.ids)

    @api.model
    def _get_rules(self, model_name, trigger):
        return self.sudo().browse(self._get_active_rule_ids(model_name, trigger))

    @api.model
    @tools.ormcache("rule_id")
    def _get_rule_spec(self, rule_id):
        """What the engine needs to evaluate a rule, cached until a rule changes: a
        confirmation does not even read its rules from the database."""
        rule = self.sudo().with_context(active_test=False).browse(rule_id)
        domain = parse_literal_domain(rule.domain) if rule.condition_type == "domain" else None
        return {
            "company_id": rule.company_id.id,
            "team_ids": frozenset(rule.team_ids.ids),
            "condition_type": rule.condition_type,
            "check": rule.check,
            "apply_on_lines": rule.apply_on_lines,
            "domain": tuple(domain or ()) if domain is not None else None,
            "python_code": (rule.python_code or "").strip(),
            # checked again here: code stored around the ORM (SQL, a data file) never runs
            "code_unsafe": rule.condition_type == "python"
            and bool(unsafe_attribute(rule.python_code, self.env.registry)),
            "outcome": rule.outcome,
        }

    def _spec(self):
        self.ensure_one()
        return self._get_rule_spec(self.id)

    @api.model
    @tools.ormcache("model_name")
    def _bound_paths(self, model_name):
        """The field paths of ``model_name`` that its active rules read, sorted: the
        fields of their domains and expressions, those their built-in checks declare
        (``compliance_check(reads=...)``) and the amount their approval levels pick on.
        An approval binds their values (``_compliance_read_values``). The stage a stage
        rule asks to move to is the object of its approval, not a bound value: the lead
        waits in its stage for the approval of that move."""
        rules = self.sudo().with_context(active_test=True).search([("model_name", "=", model_name)])
        Model = self.env[model_name]
        paths = set()
        for rule in rules:
            read = set(rule._read_paths())
            if rule.outcome == "approval" and rule._approval_value_kind() == "amount":
                read.update(Model._compliance_amount_paths)
            if rule.trigger == "stage":
                read.discard("stage_id")
            paths.update(filter(None, (_field_path(Model, path) for path in read)))
        return tuple(sorted(paths))

    def _read_paths(self):
        """The field paths of the record this rule reads (see ``_bound_paths``)."""
        self.ensure_one()
        prefix = "order_line." if self.apply_on_lines else ""
        if self.condition_type == "builtin":
            check = self._compliance_checks().get(self.check)
            return dict(check.reads).get(self.model_name, ()) if check else ()
        if self.condition_type == "domain":
            domain = parse_literal_domain(self.domain)
            if domain is None:
                try:
                    domain = self._parse_domain()
                except Exception:
                    return ()
            return [
                prefix + leaf[0]
                for leaf in domain
                if isinstance(leaf, list | tuple) and len(leaf) == 3 and isinstance(leaf[0], str)
            ]
        paths = []
        for root, path in _attribute_paths(self.python_code or ""):
            if root == "record":
                paths.append(path)
            elif root == "line":
                paths.append("order_line." + path)
        return paths

    @api.model_create_multi
    def create(self, vals_list):
        self.browse()._check_code_rights(vals_list)
        # levels created with the rules are checked as a whole by _check_levels
        rules = super(
            SalesComplianceRule, self.with_context(compliance_levels_write=LEVELS_WRITE)
        ).create(vals_list)
        rules._check_code_rights(new=True)
        self.env.registry.clear_cache()
        return rules.with_env(self.env)

    def write(self, vals):
        self._check_code_rights([vals])
        rules = self
        if "level_ids" in vals:
            # levels saved in this write are checked as a whole by _check_levels
            rules = self.with_context(compliance_levels_write=LEVELS_WRITE)
        res = super(SalesComplianceRule, rules).write(vals)
        self._check_code_rights(new=True)
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        return [
            dict(vals, name=self.env._("%s (copy)", rule.name))
            for rule, vals in zip(self, vals_list, strict=True)
        ]

    # ------------------------------------------------------------------
    # Evaluation
    # ------------------------------------------------------------------
    def _applies_to(self, record):
        """In-memory scope test (company and sales teams)."""
        spec = self._spec()
        company = record.company_id.id if "company_id" in record._fields else False
        if spec["company_id"] and company and company != spec["company_id"]:
            return False
        if spec["team_ids"]:
            team = record.team_id.id if "team_id" in record._fields else False
            if team not in spec["team_ids"]:
                return False
        return True

    def _evaluate(self, records):
        """Evaluate the rules in ``self`` on ``records``.

        Returns a list of failures, dicts with the keys rule, record, value, limit,
        values (checked values, JSON-serialisable) and message. Every rule costs a
        constant number of queries, whatever the number of records or order lines.
        """
        failures = []
        memo = {}  # shared by the rules of this evaluation (e.g. the (line, order) pairs)
        batches = None
        for rule in self:
            spec = rule._spec()
            if spec["company_id"] or spec["team_ids"]:
                scoped = records.filtered(rule._applies_to)
            else:
                scoped = records
            if not scoped:
                continue
            if spec["condition_type"] == "builtin":
                results = rule._evaluate_check(spec["check"], scoped)
            else:
                if batches is None:
                    batches = self._unprivileged_batches(records)
                scoped_ids = set(scoped._ids)
                results = {}
                for batch in batches:
                    part = (
                        batch
                        if scoped is records
                        else batch.filtered(lambda r, ids=scoped_ids: r.id in ids)
                    )
                    if not part:
                        continue
                    if spec["condition_type"] == "domain":
                        results.update(rule._evaluate_domain(part))
                    else:
                        results.update(rule._evaluate_python(part, memo))
            credit = rule._credit_figures()
            for record in scoped:
                if record.id in results:
                    value, limit, values = results[record.id]
                    failure = {
                        "rule": rule,
                        "outcome": spec["outcome"],
                        "record": record,
                        "value": value,
                        "limit": limit,
                        "values": values,
                        "message": rule._render_message(record, value, limit),
                    }
                    if credit:
                        # the figures go to the credit fields of the log only; the
                        # message everybody reads repeats none of them (the value, limit
                        # and values stay in the failure, for the engine)
                        failure["credit_figures"] = {
                            "value": value,
                            "limit": limit,
                            "values": values,
                            "message": failure["message"],
                        }
                        failure["message"] = rule._render_message(record, MASK, MASK)
                    failures.append(failure)
        return failures

    def _credit_figures(self):
        """Whether the figures of this rule come from credit data (its check says so)."""
        self.ensure_one()
        check = self._compliance_checks().get(self.check) if self.check else None
        return bool(self.condition_type == "builtin" and check and check.credit)

    def _unprivileged_batches(self, records):
        """``records`` in environments without superuser rights, where the domains and
        expressions of the rules run: what they read is what that user may read, and
        what they could write is refused (see ``unsafe_attribute`` for the rest).

        The user is the one the check runs for. When Odoo runs the action as superuser
        for someone without rights of their own (portal signature, online payment,
        crons run by OdooBot), it is the salesperson of the record, else the
        administrator (``base.user_admin``, who writes the rules) without superuser mode.
        """
        user = records.env.user
        if user.id != SUPERUSER_ID and not user.share:
            return [records.sudo(False)]

        def runner(record):
            # a salesperson without rights of their own (portal) only has fewer rights
            salesperson = record._compliance_salesperson()
            if salesperson and salesperson.id != SUPERUSER_ID:
                return salesperson
            admin = self.env.ref("base.user_admin", raise_if_not_found=False)
            return admin if admin and admin.id != SUPERUSER_ID else self.env.ref("base.public_user")

        return [batch.with_user(run_as) for run_as, batch in records.grouped(runner).items()]

    def _render_message(self, record, value, limit):
        self.ensure_one()
        template = self.message or self.name
        return template.format_map(
            _SafeFormat(
                record=record.display_name,
                rule=self.name,
                value=_format_number(value),
                limit=_format_number(limit),
                user=self.env.user.name,
            )
        )

    def _evaluate_domain(self, records):
        spec = self._spec()
        domain = (
            list(spec["domain"]) if spec["domain"] is not None else self._parse_domain(records.env)
        )
        targets = records.order_line if spec["apply_on_lines"] else records
        matching = filter_domain(targets, domain)
        if spec["apply_on_lines"]:
            result = {}
            for line in matching:
                entry = result.setdefault(line.order_id.id, [0, 0, {"lines": []}])
                entry[2]["lines"].append(line.id)
                entry[0] += 1
            return {key: tuple(val) for key, val in result.items()}
        return {record.id: (1, 0, {"domain": str(domain)}) for record in matching}

    def _evaluate_python(self, records, memo=None):
        spec = self._spec()
        code = spec["python_code"]
        on_lines = spec["apply_on_lines"]
        targets = records.order_line if on_lines else records
        hits = self._eval_python_batch(code, targets, memo)
        result = {}
        for target, hit in zip(targets, hits, strict=True):
            if not hit:
                continue
            record = target.order_id if on_lines else target
            entry = result.setdefault(record.id, [0, 0, {"expression": code}])
            entry[0] += 1
            if on_lines:
                entry[2].setdefault("lines", []).append(target.id)
        return {key: tuple(val) for key, val in result.items()}

    def _eval_python_batch(self, code, targets, memo=None):
        """Evaluate ``code`` on every target with ONE safe_eval (one compilation): the
        expression is wrapped in a comprehension over (line, record) pairs. If it fails,
        the targets are evaluated one by one, and a target on which it fails counts as a
        violation (fail closed)."""
        if not targets:
            return []
        if self._spec()["code_unsafe"]:
            _logger.warning("Compliance rule %s: expression refused, counted as failed", self.id)
            return [True] * len(targets)
        memo = {} if memo is None else memo
        key = ("pairs", targets._name, targets._ids, targets.env.uid)
        if key not in memo:
            if targets._name == "sale.order.line":
                memo[key] = [(line, line.order_id) for line in targets]
            else:
                memo[key] = [(False, record) for record in targets]
        pairs = memo[key]
        context = dict(
            self._eval_context_static(targets.env), relativedelta=relativedelta, pairs=pairs
        )
        try:
            # one public safe_eval per rule and evaluation, whatever the number of targets
            return safe_eval(f"[bool(({code})) for line, record in pairs]", context)
        except Exception:  # evaluated one by one below to find the culprit
            _logger.debug("Compliance rule %s: batch evaluation failed", self.id)
        hits = []
        for target in targets:
            try:
                hits.append(bool(safe_eval(code, self._eval_context(target))))
            except Exception as exc:
                _logger.warning("Compliance rule %s failed on %s: %s", self.id, target, exc)
                hits.append(True)
        return hits

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_violations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_compliance.action_compliance_violation"
        )
        action["domain"] = [("rule_id", "=", self.id)]
        return action


# What a rendered message shows instead of a credit figure
MASK = "***"


def _field_path(model, path):
    """The longest start of ``path`` that is a chain of fields of ``model`` ("" if
    none): ``order_line.filtered`` reads ``order_line``."""
    valid = []
    for name in path.split("."):
        field = model._fields.get(name)
        if field is None:
            break
        valid.append(name)
        if not field.relational:
            break
        model = model.env[field.comodel_name]
    return ".".join(valid)


def _attribute_paths(code):
    """(root name, dotted path) of the attribute chains of ``code`` that start at a
    name (``record.partner_id.credit_limit`` gives ``("record", "partner_id.credit_limit")``)."""
    try:
        tree = ast.parse(code.strip() or "None", mode="eval")
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        names = []
        while isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        if names and isinstance(node, ast.Name):
            found.append((node.id, ".".join(reversed(names))))
    return found


def _format_number(value):
    if value is MASK:
        return MASK
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)
