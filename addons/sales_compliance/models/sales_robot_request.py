import base64
import hashlib
import hmac
import json
import time
from urllib.parse import quote_plus

from odoo import models


class SalesRobot(models.Model):
    _inherit = "sales.robot"

    def _request_for(self, message):
        """The HTTP request that delivers ``message`` (a ``sales.robot.message`` of this
        robot) as the service's published contract wants it: ``(url, headers, body)``,
        ``body`` being bytes of JSON. DingTalk's URL carries ``timestamp`` and ``sign``."""
        self.ensure_one()
        robot = self.sudo()
        mobiles = [m for m in (message.mention_mobiles or "").split(",") if m]
        text = f"### {message.title}\n\n{message.body}" if message.title else message.body or ""
        url = robot.url
        if robot.kind == "wecom":
            payload = {
                "msgtype": "markdown",
                "markdown": {"content": text},
            }
            if mobiles:
                payload = {
                    "msgtype": "text",
                    "text": {"content": text, "mentioned_mobile_list": mobiles},
                }
        elif robot.kind == "dingtalk":
            payload = {
                "msgtype": "markdown",
                "markdown": {"title": message.title or "", "text": text},
                "at": {"atMobiles": mobiles, "isAtAll": False},
            }
            if robot.secret:
                url = robot._dingtalk_signed_url(url, robot.secret)
        else:
            payload = {
                "event": message.event,
                "key": message.key,
                "title": message.title,
                "markdown": message.body,
                "mentioned_mobiles": mobiles,
            }
        body = json.dumps(payload, ensure_ascii=False).encode()
        return url, {"Content-Type": "application/json; charset=utf-8"}, body

    @staticmethod
    def _dingtalk_signed_url(url, secret, timestamp=None):
        """DingTalk's signing (加签): ``timestamp`` in milliseconds and ``sign``, the
        URL-encoded base64 of HMAC-SHA256 over ``"{timestamp}\\n{secret}"`` keyed by the
        secret."""
        timestamp = str(timestamp or round(time.time() * 1000))
        digest = hmac.new(
            secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256
        ).digest()
        sign = quote_plus(base64.b64encode(digest))
        separator = "&" if "?" in url else "?"
        return f"{url}{separator}timestamp={timestamp}&sign={sign}"
