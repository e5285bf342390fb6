from odoo.http import request


def request_ip():
    """The IP address of the HTTP request being served, or False outside of one (a cron,
    a shell, a test without HTTP)."""
    try:
        return request.httprequest.remote_addr if request else False
    except RuntimeError:
        return False
