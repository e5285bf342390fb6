"""Window actions the suite returns to the web client."""


def form_action(model, res_id=None, **options):
    """The window action that opens the record ``res_id`` of ``model`` in its form view (a
    new record without ``res_id``); ``options`` add or override keys (``target="new"`` for
    a dialog, ``name``, ``context``...)."""
    action = {
        "type": "ir.actions.act_window",
        "res_model": model,
        "view_mode": "form",
        "views": [(False, "form")],
    }
    if res_id is not None:
        action["res_id"] = res_id
    return action | options


def notification_action(message, kind="success", sticky=False, close_dialog=False):
    """The client action that shows ``message`` as a notification of ``kind`` (success,
    warning, danger, info); ``close_dialog`` closes the dialog it was called from."""
    params = {"type": kind, "message": message}
    if sticky:
        params["sticky"] = True
    if close_dialog:
        params["next"] = {"type": "ir.actions.act_window_close"}
    return {"type": "ir.actions.client", "tag": "display_notification", "params": params}
