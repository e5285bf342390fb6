from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import RpcError, call_kw
from .common_register import RegisterCase


@tagged("post_install", "-at_install")
class TestRegisterAccess(RegisterCase, HttpCase):
    """Who reads and changes which calls and visitors, through the ORM and over JSON-RPC as
    the web client sends it."""

    # RegisterCase already serves the HTTP requests with the test's cursor
    registry_test_mode = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.logged_by_rep = cls.log(cls.rep, user_id=cls.other_rep.id, subject="For Sun")
        cls.for_rep = cls.log(cls.desk, user_id=cls.rep.id, subject="For Wang")
        cls.for_mate = cls.log(cls.desk, user_id=cls.mate.id, subject="For Zhao")
        cls.for_other = cls.log(cls.desk, user_id=cls.other_rep.id, subject="For Sun too")
        cls.in_company_b = cls.log(
            cls.rep_b, user_id=cls.rep_b.id, company_id=cls.company_b.id, subject="Xi'an"
        )
        cls.everything = (
            cls.logged_by_rep | cls.for_rep | cls.for_mate | cls.for_other | cls.in_company_b
        )

    def visible(self, user):
        return (
            self.env["sales.register.entry"]
            .with_user(user)
            .search([("id", "in", self.everything.ids)])
        )

    def rpc_as(self, user):
        self.authenticate(user.login, user.login)

    def test_a_rep_reads_what_they_logged_and_what_is_for_them_not_a_mates(self):
        self.assertEqual(self.visible(self.rep), self.logged_by_rep | self.for_rep)
        with self.assertRaises(AccessError):
            self.for_mate.with_user(self.rep).read(["subject"])
        with self.assertRaises(AccessError):
            self.for_mate.with_user(self.rep).write({"outcome": "other"})
        self.assertEqual(self.for_mate.outcome, "answered")

    def test_a_leader_reads_the_team_entries(self):
        self.assertEqual(self.visible(self.leader), self.for_rep | self.for_mate)

    def test_the_desk_reads_all_of_its_companies_not_another_company(self):
        self.assertEqual(self.visible(self.desk), self.everything - self.in_company_b)
        self.assertEqual(self.visible(self.rep_b), self.in_company_b)

    def test_a_rep_finds_only_their_entries_over_rpc(self):
        self.rpc_as(self.rep)
        found = call_kw(
            self,
            "sales.register.entry",
            "search_read",
            [[("id", "in", self.everything.ids)]],
            kwargs={"fields": ["subject"]},
        )
        self.assertEqual({r["id"] for r in found}, set((self.logged_by_rep | self.for_rep).ids))
        with self.assertRaisesRegex(RpcError, "not allowed|access"):
            call_kw(self, "sales.register.entry", "read", [self.for_mate.ids, ["subject"]])

    def test_the_leader_and_the_desk_find_theirs_over_rpc(self):
        for user, expected in (
            (self.leader, self.for_rep | self.for_mate),
            (self.desk, self.everything - self.in_company_b),
            (self.rep_b, self.in_company_b),
        ):
            self.rpc_as(user)
            found = call_kw(
                self,
                "sales.register.entry",
                "search_read",
                [[("id", "in", self.everything.ids)]],
                kwargs={"fields": ["subject"]},
            )
            self.assertEqual({r["id"] for r in found}, set(expected.ids), user.login)

    def test_a_rep_cannot_rewrite_who_logged_an_entry_over_rpc(self):
        self.rpc_as(self.rep)
        with self.assertRaisesRegex(RpcError, "cannot be changed"):
            call_kw(
                self,
                "sales.register.entry",
                "write",
                [self.logged_by_rep.ids, {"logged_by_id": self.desk.id}],
            )
        with self.assertRaisesRegex(RpcError, "cannot be changed"):
            call_kw(
                self,
                "sales.register.entry",
                "create",
                [{"contact_name": "Forged", "subject": "Forged", "logged_by_id": self.desk.id}],
            )
        self.assertEqual(self.logged_by_rep.logged_by_id, self.rep)
        self.assertFalse(self.env["sales.register.entry"].search([("subject", "=", "Forged")]))

    def test_a_rep_logs_a_call_and_forwards_it_over_rpc_but_not_a_mates(self):
        self.rpc_as(self.rep)
        action = call_kw(self, "sales.register.entry", "action_register_log", [])
        self.assertEqual(action["target"], "new")
        entry_id = call_kw(
            self,
            "sales.register.entry",
            "create",
            [
                {
                    "kind": "visit",
                    "contact_name": "Ms Li",
                    "subject": "Brings a sample",
                    "partner_id": self.customer.id,
                }
            ],
        )
        entry = self.env["sales.register.entry"].browse(entry_id)
        self.assertEqual(entry.logged_by_id, self.rep)
        self.assertEqual(entry.user_id, self.rep)
        call_kw(self, "sales.register.entry", "action_forward", [[entry_id]])
        self.assertEqual(entry.outcome, "forwarded")
        with self.assertRaisesRegex(RpcError, "not allowed|access"):
            call_kw(self, "sales.register.entry", "action_forward", [self.for_mate.ids])
        with self.assertRaisesRegex(RpcError, "not allowed|access"):
            call_kw(self, "sales.register.entry", "action_create_lead", [self.for_mate.ids])
        self.assertEqual(self.for_mate.outcome, "answered")
        self.assertFalse(self.for_mate.lead_id)

    def test_a_portal_user_has_no_register(self):
        portal = self.env["res.users"].create(
            {
                "name": "Portal Customer",
                "login": "reg_portal",
                "password": "reg_portal",
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        self.rpc_as(portal)
        with self.assertRaisesRegex(RpcError, "not allowed|access"):
            call_kw(
                self,
                "sales.register.entry",
                "search_read",
                [[]],
                kwargs={"fields": ["subject"]},
            )
        with self.assertRaisesRegex(RpcError, "not allowed|access"):
            call_kw(self, "sales.register.entry", "action_register_log", [])
