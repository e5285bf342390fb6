"""Window actions the suite returns to the web client."""


def form_action(model, res_id, **options):
    """The window action that opens the record ``res_id`` of ``model`` in its form view;
    ``options`` add or override keys (``target="new"`` for a dialog, ``name``...)."""
    return {
        "type": "ir.actions.act_window",
        "res_model": model,
        "res_id": res_id,
        "view_mode": "form",
        "views": [(False, "form")],
        **options,
    }
