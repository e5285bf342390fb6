"""The conditions users write on a rule: domains and Python expressions.

Everything about them lives here: their validation when a rule is saved (the names an
expression may not use, see ``unsafe_attribute``), who may write code (system
administrators only, as Odoo's server actions), and their evaluation, always in an
environment without superuser rights (``_unprivileged_batches``) and through the public
``safe_eval``. The helpers without a model are in ``sales_compliance_rule_eval.py``.
"""

import logging

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval, test_python_expr

from .sales_compliance_rule_eval import filter_domain, parse_literal_domain, unsafe_attribute

_logger = logging.getLogger(__name__)


class SalesComplianceRuleExpression(models.Model):
    _inherit = "sales.compliance.rule"

    @api.model_create_multi
    def create(self, vals_list):
        self.browse()._check_code_rights(vals_list)
        rules = super().create(vals_list)
        rules._check_code_rights(new=True)
        return rules

    def write(self, vals):
        self._check_code_rights([vals])
        res = super().write(vals)
        self._check_code_rights(new=True)
        return res

    @api.constrains("condition_type", "domain", "python_code", "model_name", "apply_on_lines")
    def _check_condition(self):
        for rule in self:
            if rule.condition_type == "domain":
                rule._validate_domain()
            elif rule.condition_type == "python":
                rule._validate_python()

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

    def _lines_fields(self):
        """(lines field of the rule's model, its inverse) when the rule evaluates its
        condition on lines ("Evaluate on lines", ``_compliance_lines_field`` of the
        model: ``order_line`` of orders), else None."""
        self.ensure_one()
        if not self.apply_on_lines or self.model_name not in self.env:
            return None
        Model = self.env[self.model_name]
        name = Model._compliance_lines_field
        return (name, Model._fields[name].inverse_name) if name else None

    def _target_model(self):
        """The model the condition is evaluated on: the rule's, or that of its lines."""
        self.ensure_one()
        lines = self._lines_fields()
        if lines:
            return self.env[self.model_name]._fields[lines[0]].comodel_name
        return self.model_name

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
            lines = self._lines_fields()
            safe_eval(code, self._eval_context(sample, lines and lines[1]))
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

    def _eval_context(self, target, parent=None):
        """The names of an expression evaluated on ``target``: a line (its record in
        its field ``parent``) or a record."""
        ctx = self._eval_context_static(target.env)
        ctx["relativedelta"] = relativedelta
        if parent:
            ctx.update(line=target, record=target[parent])
        else:
            ctx.update(record=target, line=False)
        return ctx

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

    def _evaluate_domain(self, records):
        spec = self._spec()
        domain = (
            list(spec["domain"]) if spec["domain"] is not None else self._parse_domain(records.env)
        )
        lines = spec["lines"]
        targets = records[lines[0]] if lines else records
        matching = filter_domain(targets, domain)
        if lines:
            result = {}
            for line in matching:
                entry = result.setdefault(line[lines[1]].id, [0, 0, {"lines": []}])
                entry[2]["lines"].append(line.id)
                entry[0] += 1
            return {key: tuple(val) for key, val in result.items()}
        return {record.id: (1, 0, {"domain": str(domain)}) for record in matching}

    def _evaluate_python(self, records, memo=None):
        spec = self._spec()
        code = spec["python_code"]
        lines = spec["lines"]
        on_lines = bool(lines)
        targets = records[lines[0]] if lines else records
        hits = self._eval_python_batch(code, targets, memo, lines and lines[1])
        result = {}
        for target, hit in zip(targets, hits, strict=True):
            if not hit:
                continue
            record = target[lines[1]] if on_lines else target
            entry = result.setdefault(record.id, [0, 0, {"expression": code}])
            entry[0] += 1
            if on_lines:
                entry[2].setdefault("lines", []).append(target.id)
        return {key: tuple(val) for key, val in result.items()}

    def _eval_python_batch(self, code, targets, memo=None, parent=None):
        """Evaluate ``code`` on every target with ONE safe_eval (one compilation): the
        expression is wrapped in a comprehension over (line, record) pairs (``parent``:
        the field of a line giving its record, for lines). If it fails,
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
            if parent:
                memo[key] = [(line, line[parent]) for line in targets]
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
                hits.append(bool(safe_eval(code, self._eval_context(target, parent))))
            except Exception as exc:
                _logger.warning("Compliance rule %s failed on %s: %s", self.id, target, exc)
                hits.append(True)
        return hits
