"""Fast evaluation helpers of the compliance rules (no model here).

* Python expressions go through the sandbox of ``odoo.tools.safe_eval`` (the same opcode
  check ``test_expr``, the same restricted builtins and ``check_values``), but the
  checked code object is cached per expression, so a rule is validated and compiled once
  per process instead of once per evaluation.
* Simple domains (direct fields compared to constants) are turned into a Python
  predicate evaluated on the records already in cache; any other domain falls back to
  ``filtered_domain``.
"""

import ast
import functools
import operator

from odoo.osv import expression
from odoo.tools.safe_eval import _BUILTINS, _SAFE_OPCODES, check_values, test_expr

_unsafe_eval = eval  # only ever called on code objects checked by test_expr


@functools.lru_cache(maxsize=512)
def _checked_code(expr):
    return test_expr(expr, _SAFE_OPCODES, mode="eval")


def sandboxed_eval(expr, context):
    """Evaluate ``expr`` like ``safe_eval(expr, context)`` with a cached compilation."""
    globals_dict = dict(context)
    check_values(globals_dict)
    globals_dict["__builtins__"] = dict(_BUILTINS)
    return _unsafe_eval(_checked_code(expr), globals_dict)


def parse_literal_domain(text):
    """The domain as a list when it is a literal, else None."""
    try:
        value = ast.literal_eval((text or "[]").strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    return list(value) if isinstance(value, list | tuple) else None


class NotSimpleDomain(Exception):
    pass


_COMPARE = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_NUMERIC = ("integer", "float", "monetary")
_TEXT = ("char", "selection", "text")


def _leaf_predicate(model, leaf):
    if not (isinstance(leaf, list | tuple) and len(leaf) == 3):
        raise NotSimpleDomain(leaf)
    fname, op, value = leaf
    if not isinstance(fname, str) or "." in fname or fname not in model._fields:
        raise NotSimpleDomain(leaf)
    field = model._fields[fname]
    if field.type in _NUMERIC:
        if op in _COMPARE and isinstance(value, int | float) and not isinstance(value, bool):
            compare = _COMPARE[op]
            return lambda rec: compare(rec[fname] or 0, value)
    elif field.type == "boolean":
        if op in ("=", "!=") and isinstance(value, bool):
            expected = value if op == "=" else not value
            return lambda rec: bool(rec[fname]) == expected
    elif field.type in _TEXT:
        if op in ("=", "!=") and (isinstance(value, str) or value is False):
            compare = _COMPARE[op]
            return lambda rec: compare(rec[fname] or False, value or False)
        if op in ("in", "not in") and isinstance(value, list | tuple):
            values = set(value)
            if all(isinstance(v, str) for v in values):
                inside = op == "in"
                return lambda rec: (rec[fname] in values) == inside
    elif field.type == "many2one":
        if op in ("=", "!=") and (
            (isinstance(value, int) and not isinstance(value, bool)) or value is False
        ):
            compare = _COMPARE[op]
            return lambda rec: compare(rec[fname].id or False, value or False)
        if op in ("in", "not in") and isinstance(value, list | tuple):
            values = set(value)
            if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
                inside = op == "in"
                return lambda rec: (rec[fname].id in values) == inside
    raise NotSimpleDomain(leaf)


def domain_predicate(model, domain):
    """A function record -> bool equivalent to ``domain``, or None when the domain is
    not simple enough (then use ``filtered_domain``)."""
    try:
        normalized = expression.normalize_domain(list(domain))
    except (ValueError, TypeError, AssertionError):
        return None
    position = 0

    def parse():
        nonlocal position
        token = normalized[position]
        position += 1
        if token == expression.NOT_OPERATOR:
            sub = parse()
            return lambda rec: not sub(rec)
        if token in (expression.AND_OPERATOR, expression.OR_OPERATOR):
            left, right = parse(), parse()
            if token == expression.AND_OPERATOR:
                return lambda rec: left(rec) and right(rec)
            return lambda rec: left(rec) or right(rec)
        if tuple(token) == expression.TRUE_LEAF:
            return lambda rec: True
        if tuple(token) == expression.FALSE_LEAF:
            return lambda rec: False
        return _leaf_predicate(model, token)

    try:
        predicate = parse()
    except (NotSimpleDomain, IndexError, TypeError):
        return None
    if position != len(normalized):
        return None
    return predicate
