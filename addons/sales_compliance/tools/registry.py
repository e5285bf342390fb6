"""The name-based extension points of the suite, and what their methods must return.

An addon extends a dispatch by adding one method named ``<prefix><key>`` to a model, with
nothing to register: the evaluators of the compliance checks (``_compliance_check_``), the
readers of the target metrics (``_metric_sql_``), the hand-over collectors
(``_handover_collect_``) and the My day sections (``_my_day_section_``). Each dispatch finds
them through a ``MethodRegistry``, which

- finds the methods of the model's class once (Odoo builds a new class when the registry
  reloads, so an addon installed since is found);
- checks each method once per class with the dispatch's ``check`` (e.g. the columns of a
  metric's SQL), and what it returns on every call with the dispatch's ``result``;
- raises ``ExtensionError`` naming the method when either finds it wrong.
"""

import inspect

# Attribute of a model class holding what a registry found on it (one per prefix)
CACHE = "_method_registry"


class ExtensionError(TypeError):
    """A method of a name-based extension point is not what its dispatch expects."""


def accepts(function, *args):
    """What is wrong with calling ``function(model, *args)`` (a sentence), or None."""
    try:
        inspect.signature(function).bind(None, *args)
    except TypeError as error:
        return f"cannot be called with ({', '.join(args)}): {error}"
    return None


class MethodRegistry:
    """The methods ``<prefix><key>`` of a model: one name-based extension point.

    :param prefix: the prefix of the methods' names, e.g. ``"_metric_sql_"``
    :param check: ``check(model, name, function)``: what is wrong with the method (a
        sentence), or None; run once per method and model class, when it is first asked for
    :param result: ``result(value, *args, **kwargs)``: what is wrong with what the method
        returned for these arguments, or None; run on every call, so keep it cheap
    """

    def __init__(self, prefix, check=None, result=None):
        self.prefix = prefix
        self.check = check
        self.result = result

    def _cache(self, cls):
        caches = cls.__dict__.get(CACHE)
        if caches is None:
            caches = {}
            setattr(cls, CACHE, caches)
        cache = caches.get(self.prefix)
        # Odoo keeps the registry class when a later addon extends the model and sets its
        # bases anew: a cache of other bases is stale
        if cache is None or cache["bases"] != cls.__bases__:
            # the methods of the addons' classes, found once per class
            names = frozenset(
                name
                for klass in cls.__mro__[1:]
                for name, value in vars(klass).items()
                if name.startswith(self.prefix) and len(name) > len(self.prefix)
                if callable(value)
            )
            cache = caches[self.prefix] = {"names": names, "checked": {}, "bases": cls.__bases__}
        return cache

    def keys(self, model):
        """The keys of the methods of ``model``, sorted."""
        cls = type(model)
        names = self._cache(cls)["names"]
        # a method set on the class itself at run time (a test's ``patch.object``)
        names |= {name for name in cls.__dict__ if name.startswith(self.prefix)}
        return sorted(
            name[len(self.prefix) :] for name in names if callable(getattr(cls, name, None))
        )

    def method(self, model, key):
        """The method of ``key`` bound to ``model``, checked; None when it has none."""
        if not key:
            return None
        cls = type(model)
        name = self.prefix + key
        function = getattr(cls, name, None)
        if not callable(function):
            return None
        checked = self._cache(cls)["checked"]
        known = checked.get(name)
        if known is None or known[0] is not function:
            problem = self.check(model, name, function) if self.check else None
            known = checked[name] = (function, problem)
        if known[1]:
            raise ExtensionError(f"{model._name}.{name} {known[1]}")
        return getattr(model, name)

    def call(self, model, key, *args, **kwargs):
        """Call the method of ``key`` and check what it returns."""
        method = self.method(model, key)
        if method is None:
            raise ExtensionError(f"{model._name} has no method {self.prefix}{key}")
        value = method(*args, **kwargs)
        problem = self.result(value, *args, **kwargs) if self.result else None
        if problem:
            raise ExtensionError(f"{model._name}.{self.prefix}{key} {problem}")
        return value
