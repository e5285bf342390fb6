"""Defaults a client may not send in its context."""


def without_readonly_defaults(model):
    """``model`` without the context's ``default_<field>`` of its read-only fields.

    A read-only field (a state, a computed team, a deadline, a reviewer) is set by the model,
    never by the client: ``create`` would otherwise take its value from a ``default_<field>``
    key of the context, which every JSON-RPC caller writes as they like."""
    context = model.env.context
    hostile = [
        key
        for key in context
        if key.startswith("default_")
        and key[len("default_") :] in model._fields
        and model._fields[key[len("default_") :]].readonly
    ]
    if not hostile:
        return model
    # a new environment: ``with_context`` adds keys, it does not drop them
    clean = {key: value for key, value in context.items() if key not in hostile}
    return model.with_env(model.env(context=clean))
