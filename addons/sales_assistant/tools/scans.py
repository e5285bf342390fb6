"""The one check of an uploaded photo or scan (a delivery note, a signed contract): on its
content, never on the name or type the browser sends."""

from odoo.exceptions import ValidationError
from odoo.tools.mimetypes import guess_mimetype

SCAN_MAX_BYTES = 10 * 1024 * 1024
SCAN_MIMETYPES = ("image/jpeg", "image/png", "image/webp", "application/pdf")


def check_scan(env, content, what):
    """Raise a ValidationError unless ``content`` (bytes) is a PDF or an image of at most
    ``SCAN_MAX_BYTES``; ``what`` names the document in the message ("The delivery note")."""
    if len(content) > SCAN_MAX_BYTES:
        raise ValidationError(env._("%s is too large (10 MB at most).", what))
    if guess_mimetype(content) not in SCAN_MIMETYPES:
        raise ValidationError(env._("%s must be a photo (JPEG, PNG) or a PDF scan.", what))
