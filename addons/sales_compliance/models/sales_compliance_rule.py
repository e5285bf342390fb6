import logging
from typing import NamedTuple

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ..tools.registry import ExtensionError, MethodRegistry
from .sales_compliance_rule_eval import attribute_paths, parse_literal_domain, unsafe_attribute

_logger = logging.getLogger(__name__)

# The models of sales_compliance that join the engine. Another addon's model joins it
# with a ``selection_add`` on ``model_name`` (see ``sales.compliance.mixin``).
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
    rule's model (``models`` lists those it supports, models that joined the engine:
    checked when the registry loads, see ``_register_hook``) and returns
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
    if not models or not all(isinstance(model, str) and model for model in models):
        raise ValueError("compliance_check: models must name the models of the check")

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


def engine_models(records):
    """The models that joined the compliance engine, as a selection: the rule's
    ``model_name`` (violations, approvals and reports read it, so that a model joins
    the engine with one ``selection_add``)."""
    rule_model = records.env["sales.compliance.rule"]
    return rule_model._fields["model_name"]._description_selection(records.env)


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
    # the models that joined the engine (see sales.compliance.mixin)
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
    # the model of the lines of the rule's model, if it has any (the form's domain editor)
    lines_model = fields.Char(compute="_compute_lines_model")
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
    # The parameters of the built-in checks are declared by their family files
    # (sales_compliance_rule_<family>.py), with their constraints and their view.
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

    @api.depends("model_name")
    def _compute_lines_model(self):
        for rule in self:
            Model = self.env[rule.model_name] if rule.model_name in self.env else None
            lines = Model is not None and Model._compliance_lines_field
            rule.lines_model = Model._fields[lines].comodel_name if lines else False

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
            # each model says which triggers of sales_compliance it fires (those of
            # other addons are checked by them) and whether it has lines
            Model = self.env[rule.model_name]
            if rule.trigger in dict(TRIGGERS) and rule.trigger not in Model._compliance_triggers:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: rules on %(model)s cannot fire “%(trigger)s”.",
                        rule=rule.name,
                        model=rule._model_label(),
                        trigger=dict(self._fields["trigger"]._description_selection(self.env)).get(
                            rule.trigger
                        ),
                    )
                )
            if rule.apply_on_lines and not Model._compliance_lines_field:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: %(model)s have no lines to evaluate the condition on.",
                        rule=rule.name,
                        model=rule._model_label(),
                    )
                )

    def _model_label(self):
        """The label of the rule's model, as the user reads it (“Sales Order”)."""
        self.ensure_one()
        labels = dict(self._fields["model_name"]._description_selection(self.env))
        return labels.get(self.model_name, self.model_name)

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
        the record, ``_compliance_approval_amount`` of a model with
        ``_compliance_has_amount``: an order's untaxed total, a lead's expected revenue)
        or ``none`` (customers)."""
        self.ensure_one()
        check = self._compliance_checks().get(self.check) if self.check else None
        if self.condition_type == "builtin" and check and check.measured:
            return "measure"
        if self.model_name in self.env and self.env[self.model_name]._compliance_has_amount:
            return "amount"
        return "none"

    def _approval_value(self, record, value):
        """The value approval levels pick on for ``record`` failing with ``value``."""
        self.ensure_one()
        kind = self._approval_value_kind()
        if kind == "measure":
            return value if isinstance(value, int | float) else 0.0
        if kind == "amount":
            return record._compliance_approval_amount()
        return 0.0

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
        # Odoo keeps the registry class when a later addon extends the model (it sets the
        # class's bases anew): a cache made before that addon was loaded is for other bases
        cached = cls.__dict__.get("_compliance_registry")
        checks = cached[1] if cached and cached[0] == cls.__bases__ else None
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
            cls._compliance_registry = (cls.__bases__, checks)
        return checks

    def _register_hook(self):
        """Check, once the registry is loaded, the models the engine knows: every model
        rules apply to joined the engine (it inherits ``sales.compliance.mixin``), and
        every model a built-in check declares is one of them. A mistake is logged as an
        error and stays closed: no rule can be saved on a model or a check that does
        not fit, and a stored rule that does not fit fails every record it checks."""
        super()._register_hook()
        for message in self._compliance_engine_errors():
            _logger.error(message)

    @api.model
    def _compliance_engine_errors(self):
        """The mistakes of the engine's declarations (see ``_register_hook``)."""
        errors = []
        mixin = type(self.env["sales.compliance.mixin"])
        joined = set()
        for model_name in self._fields["model_name"].get_values(self.env):
            if model_name in self.env and isinstance(self.env[model_name], mixin):
                joined.add(model_name)
            else:
                errors.append(
                    f"sales.compliance.rule.model_name offers {model_name!r}, which does not "
                    "inherit sales.compliance.mixin: it cannot join the compliance engine"
                )
        for check in self._compliance_checks().values():
            for model_name in check.models:
                if model_name not in joined:
                    errors.append(
                        f"compliance check {check.key!r} ({check.method}) declares the model "
                        f"{model_name!r}, which did not join the compliance engine (a "
                        "selection_add on sales.compliance.rule.model_name): no rule on it "
                        "can use the check"
                    )
        return errors

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
            "lines": rule._lines_fields(),
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
        lines = self._lines_fields()
        prefix = lines[0] + "." if lines else ""
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
        for root, path in attribute_paths(self.python_code or ""):
            if root == "record":
                paths.append(path)
            elif root == "line" and lines:
                paths.append(prefix + path)
        return paths

    @api.model_create_multi
    def create(self, vals_list):
        # levels created with the rules are checked as a whole by _check_levels
        rules = super(
            SalesComplianceRule, self.with_context(compliance_levels_write=LEVELS_WRITE)
        ).create(vals_list)
        self.env.registry.clear_cache()
        return rules.with_env(self.env)

    def write(self, vals):
        rules = self
        if "level_ids" in vals:
            # levels saved in this write are checked as a whole by _check_levels
            rules = self.with_context(compliance_levels_write=LEVELS_WRITE)
        res = super(SalesComplianceRule, rules).write(vals)
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


def _format_number(value):
    if value is MASK:
        return MASK
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)
