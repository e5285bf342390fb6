import base64
import hashlib
import hmac
import json
import time
from urllib.parse import quote_plus

from odoo import models

# The largest content a service accepts, in bytes of UTF-8:
# - WeCom: markdown ``content`` 4096 bytes, text ``content`` 2048 bytes;
# - DingTalk: 20000 bytes (over it: errcode 460101 "message too long");
# - the plain webhook has no published limit: ours, so that receivers get the same parts.
BODY_LIMITS = {"wecom": 4096, "dingtalk": 20000, "webhook": 20000}
WECOM_TEXT_LIMIT = 2048
JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}


class SalesRobot(models.Model):
    _inherit = "sales.robot"

    def _requests_for(self, message):
        """The HTTP requests that deliver ``message`` (a ``sales.robot.message`` of this
        robot) as the service's published contract wants them: a list of ``(url, headers,
        body)``, ``body`` being bytes of JSON, sent in that order. A body over the service's
        size limit is split into several parts (never refused, see ``_split_body``); the
        DingTalk URL carries ``timestamp`` and ``sign``, computed now (DingTalk refuses a
        signature older than an hour: call it when sending).

        @-mentions:
        - WeCom: its markdown cannot mention by mobile, its text can, but shows the markdown
          raw (``###``, ``[link](url)``). So the markdown is sent as is and followed by one
          short text message with ``mentioned_mobile_list``: the people are notified and the
          request stays readable, with its link clickable.
        - DingTalk: ``at.atMobiles`` and the ``@mobile`` written in the text (DingTalk only
          highlights and notifies the numbers that appear in the text), on the last part.
        """
        self.ensure_one()
        robot = self.sudo()
        mobiles = [m for m in (message.mention_mobiles or "").split(",") if m]
        title = message.title or ""
        body = message.body or ""
        if robot.kind == "dingtalk" and mobiles:
            body = f"{body}\n\n{' '.join(f'@{m}' for m in mobiles)}"
        limit = BODY_LIMITS[robot.kind]
        header_room = len(self._part_header(title, 99, 99).encode())
        parts = self._split_body(body, max(limit - header_room, 64))
        requests = [
            robot._request_for(
                message, self._part_header(title, index, len(parts)) + part, index, len(parts)
            )
            for index, part in enumerate(parts, start=1)
        ]
        if robot.kind == "wecom" and mobiles:
            mention = self._split_body(title or message.event, WECOM_TEXT_LIMIT)[0]
            payload = {
                "msgtype": "text",
                "text": {"content": mention, "mentioned_mobile_list": mobiles},
            }
            requests.append((robot.url, dict(JSON_HEADERS), self._json(payload)))
        return requests

    def _request_for(self, message, text=None, part=1, parts=1):
        """One request of ``message``: ``text`` (default: its whole title and body, unsplit)
        in the service's JSON. Use ``_requests_for`` to send: it splits and mentions."""
        self.ensure_one()
        robot = self.sudo()
        title = message.title or ""
        if text is None:
            text = self._part_header(title, 1, 1) + (message.body or "")
        mobiles = [m for m in (message.mention_mobiles or "").split(",") if m]
        url = robot.url
        if robot.kind == "wecom":
            payload = {"msgtype": "markdown", "markdown": {"content": text}}
        elif robot.kind == "dingtalk":
            last = part == parts
            payload = {
                "msgtype": "markdown",
                "markdown": {"title": self._part_title(title, part, parts), "text": text},
                "at": {"atMobiles": mobiles if last else [], "isAtAll": False},
            }
            if robot.secret:
                url = robot._dingtalk_signed_url(url, robot.secret)
        else:
            payload = {
                "event": message.event,
                "key": message.key,
                "title": title,
                "markdown": text,
                "mentioned_mobiles": mobiles,
                "part": part,
                "parts": parts,
            }
        return url, dict(JSON_HEADERS), self._json(payload)

    @staticmethod
    def _json(payload):
        return json.dumps(payload, ensure_ascii=False).encode()

    @staticmethod
    def _part_title(title, part, parts):
        return f"{title} ({part}/{parts})" if parts > 1 else title

    @classmethod
    def _part_header(cls, title, part, parts):
        return f"### {cls._part_title(title, part, parts)}\n\n" if title else ""

    @staticmethod
    def _split_body(text, limit_bytes):
        """``text`` cut into parts of at most ``limit_bytes`` bytes of UTF-8, in order and
        losing nothing: at line ends where it can (a link stays whole on its line), else at
        character boundaries (never inside a character). ``[""]`` for an empty text."""
        if len(text.encode()) <= limit_bytes:
            return [text]
        parts, current, size = [], [], 0
        for line in text.splitlines(keepends=True):
            encoded = line.encode()
            while len(encoded) > limit_bytes:  # a line longer than a part: cut it
                if current:
                    parts.append("".join(current))
                    current, size = [], 0
                head = encoded[:limit_bytes].decode(errors="ignore")
                parts.append(head)
                encoded = encoded[len(head.encode()) :]
            line = encoded.decode()
            if size + len(encoded) > limit_bytes:
                parts.append("".join(current))
                current, size = [], 0
            if encoded:
                current.append(line)
                size += len(encoded)
        if current:
            parts.append("".join(current))
        return [part for part in parts if part] or [""]

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
