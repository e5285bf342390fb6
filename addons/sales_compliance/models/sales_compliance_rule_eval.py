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


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _leaf_predicate(model, leaf, fnames):
    """A function on a row of raw values (many2one as ids) for one domain leaf."""
    if not (isinstance(leaf, list | tuple) and len(leaf) == 3):
        raise NotSimpleDomain(leaf)
    fname, op, value = leaf
    if not isinstance(fname, str) or "." in fname or fname not in model._fields:
        raise NotSimpleDomain(leaf)
    field = model._fields[fname]
    if not field.store or field.translate:
        raise NotSimpleDomain(leaf)
    fnames.add(fname)
    if field.type in _NUMERIC:
        if op in _COMPARE and isinstance(value, int | float) and not isinstance(value, bool):
            compare = _COMPARE[op]
            return lambda row: compare(row[fname] or 0, value)
    elif field.type == "boolean":
        if op in ("=", "!=") and isinstance(value, bool):
            expected = value if op == "=" else not value
            return lambda row: bool(row[fname]) == expected
    elif field.type in _TEXT:
        if op in ("=", "!=") and (isinstance(value, str) or value is False):
            compare = _COMPARE[op]
            return lambda row: compare(row[fname] or False, value or False)
        if op in ("in", "not in") and isinstance(value, list | tuple):
            values = set(value)
            if all(isinstance(v, str) for v in values):
                inside = op == "in"
                return lambda row: (row[fname] in values) == inside
    elif field.type == "many2one":
        if op in ("=", "!=") and (_is_int(value) or value is False):
            compare = _COMPARE[op]
            return lambda row: compare(row[fname] or False, value or False)
        if op in ("in", "not in") and isinstance(value, list | tuple):
            values = set(value)
            if all(_is_int(v) for v in values):
                inside = op == "in"
                return lambda row: (row[fname] in values) == inside
    raise NotSimpleDomain(leaf)


def compile_domain(model, domain):
    """(field names, predicate on a row of raw values) equivalent to ``domain``, or None
    when the domain is not simple enough (then use ``filtered_domain``)."""
    try:
        normalized = expression.normalize_domain(list(domain))
    except (ValueError, TypeError, AssertionError):
        return None
    position = 0
    fnames = set()

    def parse():
        nonlocal position
        token = normalized[position]
        position += 1
        if token == expression.NOT_OPERATOR:
            sub = parse()
            return lambda row: not sub(row)
        if token in (expression.AND_OPERATOR, expression.OR_OPERATOR):
            left, right = parse(), parse()
            if token == expression.AND_OPERATOR:
                return lambda row: left(row) and right(row)
            return lambda row: left(row) or right(row)
        if tuple(token) == expression.TRUE_LEAF:
            return lambda row: True
        if tuple(token) == expression.FALSE_LEAF:
            return lambda row: False
        return _leaf_predicate(model, token, fnames)

    try:
        predicate = parse()
    except (NotSimpleDomain, IndexError, TypeError):
        return None
    if position != len(normalized):
        return None
    return tuple(sorted(fnames)), predicate


def _raw_columns(records, fnames):
    """{field name: raw cached values aligned with records}, loading them in one go;
    None when a value is not plainly available (pending recomputation...)."""
    env = records.env
    fields_ = [records._fields[fname] for fname in fnames]
    for field in fields_:
        if field.compute and env.records_to_compute(field) & records:
            return None
    first = next(iter(records))  # iterating keeps the prefetch set (slicing would not)
    # an ordinary read: loads every column of the prefetched records at once, as the rest
    # of the flow would anyway
    first.mapped(lambda record: [record[fname] for fname in fnames])
    columns = {}
    for field in fields_:
        values = list(env.cache.get_values(records, field))
        if len(values) != len(records):
            return None
        columns[field.name] = values
    return columns


def filter_domain(records, domain):
    """``records.filtered_domain(domain)``, much faster for simple domains."""
    compiled = compile_domain(records, domain)
    if compiled is None:
        return records.filtered_domain(domain)
    fnames, predicate = compiled
    if not records:
        return records
    columns = _raw_columns(records, fnames) if fnames else {}
    if columns is None:
        return records.filtered_domain(domain)
    ids = records._ids
    kept = [
        id_
        for index, id_ in enumerate(ids)
        if predicate({fname: columns[fname][index] for fname in fnames})
    ]
    return records.browse(kept)
