import base64
import hashlib
import hmac
import json
from unittest.mock import patch
from urllib.parse import parse_qs, unquote, urlsplit

from odoo.tests import tagged

from ..models.sales_robot_request import BODY_LIMITS, WECOM_TEXT_LIMIT
from .common_robots import DINGTALK_SECRET, DINGTALK_URL, WEBHOOK_URL, WECOM_URL, RobotCase

JSON = {"Content-Type": "application/json; charset=utf-8"}
LINK = "[Approve or reject](https://odoo.example.com/sales/approval/abc.DEF-123)"


def long_body(line, size):
    """A markdown body of about ``size`` bytes of ``line``s, ending with the approval link."""
    lines = []
    while len("".join(lines).encode()) < size:
        lines.append(f"- {len(lines):04d} {line}\n")
    return "".join(lines) + LINK


@tagged("post_install", "-at_install")
class TestRobotContract(RobotCase):
    """Each service receives exactly its published JSON contract."""

    def _sent(self, robot, message):
        return [
            (url, headers, json.loads(body)) for url, headers, body in robot._requests_for(message)
        ]

    def test_wecom_gets_one_markdown_message(self):
        message = self._message(self.wecom)
        self.assertEqual(
            self._sent(self.wecom, message),
            [
                (
                    WECOM_URL,
                    JSON,
                    {
                        "msgtype": "markdown",
                        "markdown": {"content": "### Approve SO042\n\nDiscount **12%** over 5%."},
                    },
                )
            ],
        )

    def test_wecom_mentions_follow_the_markdown_as_a_text_message(self):
        message = self._message(self.wecom, users=self.rep | self.rep2)
        self.assertEqual(
            self._sent(self.wecom, message),
            [
                (
                    WECOM_URL,
                    JSON,
                    {
                        "msgtype": "markdown",
                        "markdown": {"content": "### Approve SO042\n\nDiscount **12%** over 5%."},
                    },
                ),
                (
                    WECOM_URL,
                    JSON,
                    {
                        "msgtype": "text",
                        "text": {
                            "content": "Approve SO042",
                            "mentioned_mobile_list": ["13800000001", "13800000002"],
                        },
                    },
                ),
            ],
        )

    def test_dingtalk_gets_markdown_with_the_mentions_in_the_text_and_a_signed_url(self):
        message = self._message(self.dingtalk, users=self.rep)
        with patch("time.time", return_value=1765000000.123):
            ((url, headers, payload),) = self._sent(self.dingtalk, message)
        self.assertEqual(headers, JSON)
        self.assertEqual(
            payload,
            {
                "msgtype": "markdown",
                "markdown": {
                    "title": "Approve SO042",
                    "text": "### Approve SO042\n\nDiscount **12%** over 5%.\n\n@13800000001",
                },
                "at": {"atMobiles": ["13800000001"], "isAtAll": False},
            },
        )
        # the signature, computed independently as DingTalk's documentation does it
        timestamp = "1765000000123"
        expected = base64.b64encode(
            hmac.new(
                DINGTALK_SECRET.encode("utf-8"),
                f"{timestamp}\n{DINGTALK_SECRET}".encode(),
                digestmod=hashlib.sha256,
            ).digest()
        ).decode()
        parts = urlsplit(url)
        self.assertEqual(f"{parts.scheme}://{parts.netloc}{parts.path}", DINGTALK_URL.split("?")[0])
        query = parse_qs(parts.query)
        self.assertEqual(query["access_token"], ["dingtalk-token-0001"])
        self.assertEqual(query["timestamp"], [timestamp])
        self.assertEqual(query["sign"], [expected])
        # URL-encoded: "+", "/" and "=" of the base64 never travel raw
        raw_sign = parts.query.split("sign=")[1]
        self.assertEqual(unquote(raw_sign), expected)
        self.assertNotRegex(raw_sign, r"[+/=]")

    def test_dingtalk_without_a_secret_is_not_signed(self):
        robot = self._robot("Unsigned", "dingtalk", DINGTALK_URL, team=self.team)
        ((url, _headers, _payload),) = self._sent(robot, self._message(robot))
        self.assertEqual(url, DINGTALK_URL)

    def test_the_plain_webhook_gets_the_event_as_json(self):
        message = self._message(self.webhook, users=self.rep)
        self.assertEqual(
            self._sent(self.webhook, message),
            [
                (
                    WEBHOOK_URL,
                    JSON,
                    {
                        "event": "approvals",
                        "key": message.key,
                        "title": "Approve SO042",
                        "markdown": "### Approve SO042\n\nDiscount **12%** over 5%.",
                        "mentioned_mobiles": ["13800000001"],
                        "part": 1,
                        "parts": 1,
                    },
                )
            ],
        )

    def test_chinese_is_sent_as_utf8_not_escaped(self):
        message = self._message(self.wecom, title="审批:SO042", body="折扣 **12%**,超过 5%。")
        ((_url, _headers, body),) = self.wecom._requests_for(message)
        self.assertIn("审批:SO042".encode(), body)

    def _assert_split(self, robot, body, min_parts):
        message = self._message(robot, body=body)
        sent = self._sent(robot, message)
        self.assertGreaterEqual(len(sent), min_parts)
        if robot.kind == "wecom":
            texts = [payload["markdown"]["content"] for _u, _h, payload in sent]
        elif robot.kind == "dingtalk":
            texts = [payload["markdown"]["text"] for _u, _h, payload in sent]
            self.assertEqual(
                [payload["markdown"]["title"] for _u, _h, payload in sent],
                [f"Approve SO042 ({i}/{len(sent)})" for i in range(1, len(sent) + 1)],
            )
        else:
            texts = [payload["markdown"] for _u, _h, payload in sent]
            self.assertEqual([p["part"] for _u, _h, p in sent], list(range(1, len(sent) + 1)))
            self.assertEqual({p["parts"] for _u, _h, p in sent}, {len(sent)})
            self.assertEqual({p["key"] for _u, _h, p in sent}, {message.key})
        for text in texts:
            self.assertLessEqual(len(text.encode()), BODY_LIMITS[robot.kind])
        # nothing lost, in order, each part under its numbered title; the link stays whole
        bodies = [text.split("\n\n", 1)[1] for text in texts]
        self.assertEqual("".join(bodies), body)
        self.assertIn(LINK, texts[-1])
        for index, text in enumerate(texts, start=1):
            self.assertTrue(text.startswith(f"### Approve SO042 ({index}/{len(texts)})\n\n"))

    def test_a_10kb_body_is_split_for_wecom_never_refused(self):
        self._assert_split(
            self.wecom, long_body("Order line with a discount over the ceiling", 10240), 3
        )

    def test_a_10kb_chinese_body_is_split_for_every_service(self):
        # 10 KB of characters: 30 KB of UTF-8, over each service's limit
        body = long_body("订单行折扣超过上限,需要审批。" * 4, 10240 * 3)
        self._assert_split(self.wecom, body, 8)
        self._assert_split(self.dingtalk, body, 2)
        self._assert_split(self.webhook, body, 2)

    def test_a_wecom_mention_text_stays_under_its_limit(self):
        message = self._message(self.wecom, title="审" * 3000, users=self.rep)
        _url, _headers, body = self.wecom._requests_for(message)[-1]
        self.assertLessEqual(len(json.loads(body)["text"]["content"].encode()), WECOM_TEXT_LIMIT)

    def test_split_never_cuts_inside_a_character(self):
        Robot = self.env["sales.robot"]
        self.assertEqual(Robot._split_body("short", 10), ["short"])
        parts = Robot._split_body("汉" * 10, 10)
        self.assertEqual(parts, ["汉汉汉", "汉汉汉", "汉汉汉", "汉"])
        parts = Robot._split_body("ab\ncd\nef\n", 6)
        self.assertEqual(parts, ["ab\ncd\n", "ef\n"])

    def test_a_split_dingtalk_message_mentions_once_on_its_last_part(self):
        body = long_body("订单行折扣超过上限,需要审批。" * 4, 10240 * 3)
        message = self._message(self.dingtalk, body=body, users=self.rep)
        sent = self._sent(self.dingtalk, message)
        self.assertGreater(len(sent), 1)
        self.assertEqual(
            [payload["at"]["atMobiles"] for _u, _h, payload in sent],
            [[]] * (len(sent) - 1) + [["13800000001"]],
        )
        self.assertTrue(sent[-1][2]["markdown"]["text"].endswith("\n\n@13800000001"))
        for _url, _headers, payload in sent:
            self.assertLessEqual(len(payload["markdown"]["text"].encode()), BODY_LIMITS["dingtalk"])
