"""A local stand-in for the WeCom and DingTalk group-robot webhooks (and a plain JSON hook),
on 127.0.0.1, for the outbox tests and the benchmark: never a real endpoint.

It checks the EXACT request contract of each service, independently of the code under test
(the DingTalk signature is recomputed here), records every request, and answers as the
service does. Failures are programmable: ``server.script("/wecom", "503", "ok")`` makes the
next WeCom requests answer 503, then normally.

- ``/wecom?key=K``: POST JSON ``{"msgtype": "markdown"|"text", ...}``; markdown content at most
  4096 bytes, text content at most 2048 bytes, ``mentioned_mobile_list`` a list of strings.
  Answers ``{"errcode": 0, "errmsg": "ok"}``; 93000 for an unknown key (invalid webhook url),
  45009 when more than ``rate_limit`` messages a minute reach one key.
- ``/dingtalk?access_token=T&timestamp=TS&sign=S``: POST JSON ``{"msgtype": "markdown",
  "markdown": {"title", "text"}, "at": {"atMobiles": [...], "isAtAll": bool}}``; the timestamp
  (milliseconds) within an hour of now and ``sign`` = base64(HMAC-SHA256(secret,
  "{ts}\\n{secret}")). Answers ``{"errcode": 0, "errmsg": "ok"}``; 300001 for an unknown
  token, 310000 for a bad signature (or keywords missing from the content), 130101 (send too
  fast) beyond ``rate_limit`` a minute.
- ``/hook``: POST JSON object with ``event``, ``key`` and ``markdown``; answers 200.

Scripted outcomes: ``"ok"`` (normal), ``"500"``/``"502"``/``"503"``/any HTTP status,
``"timeout"`` (sleeps ``timeout_sleep`` seconds before answering: longer than the client's
timeout), or an ``int`` errcode answered with HTTP 200 as the services do (e.g. 45009).
A refused connection: ``refused_url()`` (a port nothing listens on).
"""

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from collections import defaultdict, deque
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

WECOM_MARKDOWN_LIMIT = 4096
WECOM_TEXT_LIMIT = 2048
DINGTALK_LIMIT = 20000
ERRMSG = {
    0: "ok",
    93000: "invalid webhook url",
    45009: "api freq out of limit",
    40058: "content exceed max length",
    300001: "token is not exist",
    310000: "sign not match",
    130101: "send too fast, exceed 20 times per minute",
}


def refused_url(path="/wecom?key=gone"):
    """A URL on 127.0.0.1 where nothing listens: the connection is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


class RobotServer:
    """``with RobotServer() as server:`` serves in a thread; ``server.url(...)`` builds the
    robots' URLs; ``server.requests`` holds every request received (dicts), and
    ``server.violations`` every breach of a service's contract (must stay empty)."""

    def __init__(self, rate_limit=20, clock=time.time, delay=0.0):
        self.wecom_keys = set()
        self.dingtalk_secrets = {}
        self.dingtalk_keywords = {}
        self.rate_limit = rate_limit  # per key and rolling minute; None: not enforced
        self.clock = clock  # the clock of the rate limit (a benchmark's fake clock)
        self.delay = delay  # seconds each answer takes (two workers overlap)
        self.timeout_sleep = 2.0
        self.requests = []
        self.violations = []
        self._scripts = defaultdict(deque)
        self._recent = defaultdict(deque)
        self._lock = threading.Lock()
        self._httpd = None
        self._thread = None

    # -- set-up -------------------------------------------------------------------------------
    def add_wecom(self, key):
        self.wecom_keys.add(key)
        return self.url(f"/wecom?key={key}")

    def add_dingtalk(self, token, secret, keywords=()):
        self.dingtalk_secrets[token] = secret
        self.dingtalk_keywords[token] = tuple(keywords)
        return self.url(f"/dingtalk?access_token={token}")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def script(self, path, *outcomes):
        """The next requests to ``path`` ("/wecom", "/dingtalk", "/hook") get ``outcomes``."""
        with self._lock:
            self._scripts[path].extend(outcomes)

    def sent(self, path=None):
        """The requests accepted (errcode 0 / HTTP 200), optionally to one path."""
        return [r for r in self.requests if r["accepted"] and path in (None, r["path"])]

    # -- life ---------------------------------------------------------------------------------
    def __enter__(self):
        handler = type("Handler", (_Handler,), {"robot_server": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)
        return False

    # -- the services -------------------------------------------------------------------------
    def _next_outcome(self, path):
        with self._lock:
            return self._scripts[path].popleft() if self._scripts[path] else "ok"

    def _over_rate(self, robot):
        if not self.rate_limit:
            return False
        now = self.clock()
        with self._lock:
            recent = self._recent[robot]
            while recent and recent[0] <= now - 60:
                recent.popleft()
            if len(recent) >= self.rate_limit:
                return True
            recent.append(now)
            return False

    def handle(self, method, raw_path, headers, raw_body):
        """(HTTP status, answer dict) for one request; records it."""
        parts = urlsplit(raw_path)
        path, query = parts.path, parse_qs(parts.query)
        record = {
            "method": method,
            "path": path,
            "query": {k: v[0] for k, v in query.items()},
            "headers": dict(headers),
            "body": None,
            "accepted": False,
            "errcode": None,
            "status": None,
        }
        with self._lock:  # recorded on arrival (a timed-out request too)
            self.requests.append(record)
        status, answer = self._answer(method, path, query, headers, raw_body, record)
        record["status"] = status
        if isinstance(answer, dict):
            record["errcode"] = answer.get("errcode")
        record["accepted"] = status == 200 and record["errcode"] in (0, None)
        return status, answer

    def _violation(self, record, reason):
        with self._lock:
            self.violations.append((record["path"], reason))
        return 400, {"errcode": 40000, "errmsg": f"contract violation: {reason}"}

    def _answer(self, method, path, query, headers, raw_body, record):
        if path not in ("/wecom", "/dingtalk", "/hook"):
            return 404, {"errmsg": "not found"}
        if method != "POST":
            return self._violation(record, f"method {method}, not POST")
        if not headers.get("Content-Type", "").startswith("application/json"):
            return self._violation(record, "content type is not application/json")
        try:
            body = json.loads(raw_body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return self._violation(record, "body is not UTF-8 JSON")
        record["body"] = body
        if not isinstance(body, dict):
            return self._violation(record, "body is not a JSON object")
        outcome = self._next_outcome(path)
        if outcome == "timeout":
            time.sleep(self.timeout_sleep)
        elif isinstance(outcome, int):
            return 200, {"errcode": outcome, "errmsg": ERRMSG.get(outcome, "error")}
        elif outcome != "ok":
            return int(outcome), {"errmsg": f"HTTP {outcome}"}
        if self.delay:
            time.sleep(self.delay)
        check = getattr(self, f"_check_{path[1:]}")
        return check(query, body, record)

    def _check_wecom(self, query, body, record):
        key = (query.get("key") or [""])[0]
        record["robot"] = key
        msgtype = body.get("msgtype")
        if msgtype not in ("markdown", "text"):
            return self._violation(record, f"wecom msgtype {msgtype!r}")
        inner = body.get(msgtype)
        if not isinstance(inner, dict) or not isinstance(inner.get("content"), str):
            return self._violation(record, f"wecom {msgtype}.content missing")
        limit = WECOM_MARKDOWN_LIMIT if msgtype == "markdown" else WECOM_TEXT_LIMIT
        if len(inner["content"].encode()) > limit:
            self._violation(record, f"wecom {msgtype}.content over {limit} bytes")
            return 200, {"errcode": 40058, "errmsg": ERRMSG[40058]}
        mobiles = inner.get("mentioned_mobile_list", [])
        if not isinstance(mobiles, list) or not all(isinstance(m, str) for m in mobiles):
            return self._violation(record, "wecom mentioned_mobile_list is not a list of strings")
        if key not in self.wecom_keys:
            return 200, {"errcode": 93000, "errmsg": ERRMSG[93000]}
        if self._over_rate(("wecom", key)):
            return 200, {"errcode": 45009, "errmsg": ERRMSG[45009]}
        return 200, {"errcode": 0, "errmsg": "ok"}

    def _check_dingtalk(self, query, body, record):
        token = (query.get("access_token") or [""])[0]
        record["robot"] = token
        if token not in self.dingtalk_secrets:
            return 200, {"errcode": 300001, "errmsg": ERRMSG[300001]}
        secret = self.dingtalk_secrets[token]
        timestamp = (query.get("timestamp") or [""])[0]
        sign = (query.get("sign") or [""])[0]  # parse_qs decoded the URL encoding
        if not timestamp.isdigit() or abs(time.time() * 1000 - int(timestamp)) > 3600 * 1000:
            return 200, {"errcode": 310000, "errmsg": "invalid timestamp"}
        digest = hmac.new(
            secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256
        ).digest()
        if not hmac.compare_digest(base64.b64encode(digest).decode(), sign):
            return 200, {"errcode": 310000, "errmsg": ERRMSG[310000]}
        if body.get("msgtype") != "markdown":
            return self._violation(record, f"dingtalk msgtype {body.get('msgtype')!r}")
        markdown = body.get("markdown")
        if (
            not isinstance(markdown, dict)
            or not isinstance(markdown.get("title"), str)
            or not isinstance(markdown.get("text"), str)
        ):
            return self._violation(record, "dingtalk markdown.title/text missing")
        if len(markdown["text"].encode()) > DINGTALK_LIMIT:
            return self._violation(record, f"dingtalk text over {DINGTALK_LIMIT} bytes")
        at = body.get("at", {})
        mobiles = at.get("atMobiles", []) if isinstance(at, dict) else None
        if not isinstance(mobiles, list) or not all(isinstance(m, str) for m in mobiles):
            return self._violation(record, "dingtalk at.atMobiles is not a list of strings")
        keywords = self.dingtalk_keywords[token]
        if keywords and not any(k in markdown["text"] for k in keywords):
            return 200, {"errcode": 310000, "errmsg": "keywords not in content"}
        if self._over_rate(("dingtalk", token)):
            return 200, {"errcode": 130101, "errmsg": ERRMSG[130101]}
        return 200, {"errcode": 0, "errmsg": "ok"}

    def _check_hook(self, query, body, record):
        record["robot"] = "hook"
        missing = [k for k in ("event", "key", "markdown") if k not in body]
        if missing:
            return self._violation(record, f"hook body lacks {', '.join(missing)}")
        return 200, {"ok": True}


class _Handler(BaseHTTPRequestHandler):
    robot_server = None
    protocol_version = "HTTP/1.1"  # keep-alive, as the services
    disable_nagle_algorithm = True  # headers and body leave at once (no 40 ms delayed ACK)

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        status, answer = self.robot_server.handle(self.command, self.path, self.headers, raw)
        data = json.dumps(answer).encode()
        with suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    do_POST = do_GET = do_PUT = _serve

    def log_message(self, *args):  # quiet: the records say it all
        pass
