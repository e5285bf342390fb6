"""A streaming replica of the local PostgreSQL cluster, for the tests (``test_replica.py``).

``streaming_replica(params)`` copies the running cluster with ``pg_basebackup`` into a
temporary directory (in memory when there is room; a replication slot of its own, the WAL
streamed), starts it as a hot standby on a free port that listens on a unix socket in that
directory only (no TCP), and yields a ``Replica``. On the way out, always, even after a
failure: the replica is stopped, its slot dropped on the primary and the directory removed.
A slot left behind by a killed run (its process gone) is dropped by the next run: a forgotten
slot keeps the primary's WAL forever.

It needs a local cluster (the unix socket), root (to run PostgreSQL's tools as the cluster's
owner, ``runuser``) and a primary that accepts replication: ``wal_level`` replica or logical,
``max_wal_senders`` > 0 and ``local replication`` allowed to the owner in ``pg_hba.conf``
(Debian's defaults, as ``scripts/preflight.py`` starts the cluster): ``replica_unavailable``
says what is missing. The primary is never changed.
"""

import contextlib
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import preflight
from odoo_process import free_port

SLOT_PREFIX = "sales_replica_"
# A hot standby opens once it has a snapshot of the primary's transactions: a transaction
# open there with more than 64 savepoints (a test class of another run) delays it until it ends
START_TIMEOUT = 300
# a hot standby refuses to start with less of these than its primary
MIRRORED_SETTINGS = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


def _primary_settings(params):
    conn = preflight.connect(params)
    try:
        with conn.cursor() as cr:
            names = (
                "server_version_num",
                "data_directory",
                "port",
                "unix_socket_directories",
                "wal_level",
                *MIRRORED_SETTINGS,
            )
            settings = {}
            for name in names:
                cr.execute(f"SHOW {name}")
                settings[name] = cr.fetchone()[0]
            return settings
    finally:
        conn.close()


def replica_unavailable(params):
    """Why no replica can be made here, or None."""
    if not preflight.uses_local_server(params):
        return "the replica test needs the local PostgreSQL cluster, not a remote server"
    if os.geteuid() != 0 or not shutil.which("runuser"):
        return "the replica test runs PostgreSQL's tools as the cluster's owner: run it as root"
    try:
        settings = _primary_settings(params)
    except Exception as exc:  # psycopg2 errors: not superuser, server down
        return f"cannot read the primary's settings: {exc}"
    if settings["wal_level"] == "minimal" or int(settings["max_wal_senders"]) < 1:
        return (
            "the primary does not stream its WAL: set wal_level = replica and "
            "max_wal_senders >= 1 in its postgresql.conf and restart it"
        )
    if not _bin_dir(settings).exists():
        return f"PostgreSQL's server tools are not installed in {_bin_dir(settings)}"
    return None


def _bin_dir(settings):
    major = int(settings["server_version_num"]) // 10000
    return Path(f"/usr/lib/postgresql/{major}/bin")


class Replica:
    """A running hot standby: ``socket_dir`` and ``port`` to connect to, ``log`` its
    server log (every statement, ``log_statement = all``)."""

    def __init__(self, base, port, slot, params):
        self.base = base
        self.data = base / "data"
        self.socket_dir = base
        self.port = port
        self.slot = slot
        self.log = base / "replica.log"
        self._params = params

    def connect(self, dbname):
        import psycopg2  # noqa: PLC0415  (Odoo's own dependency)

        return psycopg2.connect(dbname=dbname, host=str(self.socket_dir), port=self.port)

    def wait_for_replay(self, dbname, timeout=60):
        """Until the replica has replayed everything the primary wrote so far."""
        conn = preflight.connect(self._params)
        try:
            with conn.cursor() as cr:
                cr.execute("SELECT pg_current_wal_lsn()")
                target = cr.fetchone()[0]
        finally:
            conn.close()
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.closing(self.connect(dbname)) as conn, conn.cursor() as cr:
                cr.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,))
                if cr.fetchone()[0]:
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(f"the replica did not replay up to {target} in {timeout}s")
            time.sleep(0.2)

    def log_text(self):
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""


def _run_as(owner, *cmd, timeout=300, check=True):
    result = subprocess.run(
        ["runuser", "-u", owner, "--", *map(str, cmd)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed: {result.stderr or result.stdout}")
    return result.stdout


def _drop_slot(params, slot, wait=5):
    """Drop ``slot`` once its walsender is gone (it lingers a moment after the replica; past
    ``wait`` seconds it is ended: the slot is this test's own)."""
    conn = preflight.connect(params)
    conn.autocommit = True
    deadline = time.monotonic() + wait
    try:
        with conn.cursor() as cr:
            while True:
                cr.execute(
                    "SELECT active_pid FROM pg_replication_slots WHERE slot_name = %s", (slot,)
                )
                row = cr.fetchone()
                if row is None:
                    return
                if row[0] is None:
                    cr.execute("SELECT pg_drop_replication_slot(%s)", (slot,))
                    return
                if time.monotonic() > deadline:
                    cr.execute("SELECT pg_terminate_backend(%s)", (row[0],))
                time.sleep(0.2)
    finally:
        conn.close()


def _drop_forgotten_slots(params):
    """The inactive slots of earlier runs whose process is gone (killed before cleaning)."""
    conn = preflight.connect(params)
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT slot_name FROM pg_replication_slots WHERE NOT active AND slot_name LIKE %s",
                (SLOT_PREFIX + "%",),
            )
            slots = [row[0] for row in cr.fetchall()]
    finally:
        conn.close()
    for slot in slots:
        match = re.match(rf"{SLOT_PREFIX}(\d+)_", slot)
        if match and not Path(f"/proc/{match.group(1)}").exists():
            _drop_slot(params, slot)


def _scratch_dir(params):
    """Where the copy goes: memory (``/dev/shm``) when it holds the cluster three times over
    (the copy is written and removed in seconds, not minutes of disk), else the temp dir."""
    conn = preflight.connect(params)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT sum(pg_database_size(datname)) FROM pg_database")
            size = int(cr.fetchone()[0])
    finally:
        conn.close()
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 3 * size:
        return str(shm)
    return None


@contextlib.contextmanager
def streaming_replica(params):
    """A hot standby of the local cluster, removed on the way out (see the module)."""
    settings = _primary_settings(params)
    bin_dir = _bin_dir(settings)
    owner = pwd.getpwuid(Path(settings["data_directory"]).stat().st_uid).pw_name
    primary_socket = settings["unix_socket_directories"].split(",")[0].strip()
    _drop_forgotten_slots(params)
    base = Path(tempfile.mkdtemp(prefix="sales-replica-", dir=_scratch_dir(params)))
    owner_ids = pwd.getpwnam(owner)
    os.chown(base, owner_ids.pw_uid, owner_ids.pw_gid)
    slot = f"{SLOT_PREFIX}{os.getpid()}_{uuid.uuid4().hex[:8]}"
    replica = Replica(base, free_port(), slot, params)
    started = False
    try:
        _run_as(
            owner,
            bin_dir / "pg_basebackup",
            f"--host={primary_socket}",
            f"--port={settings['port']}",
            f"--pgdata={replica.data}",
            "--write-recovery-conf",
            "--wal-method=stream",
            "--create-slot",
            f"--slot={slot}",
            "--checkpoint=fast",
            "--no-sync",
        )
        mirrored = "".join(f"{name} = {settings[name]}\n" for name in MIRRORED_SETTINGS)
        files = {
            "postgresql.conf": (
                f"port = {replica.port}\n"
                "listen_addresses = ''\n"
                f"unix_socket_directories = '{base}'\n"
                "hot_standby = on\n"
                "hot_standby_feedback = on\n"
                "fsync = off\n"
                "shared_buffers = 32MB\n"
                "log_statement = 'all'\n"
                "log_line_prefix = '%m [%p] %a@%d '\n"
                f"{mirrored}"
            ),
            "pg_hba.conf": "local all all peer\n",
            "pg_ident.conf": "",
        }
        for name, text in files.items():
            path = replica.data / name
            path.write_text(text, encoding="utf-8")
            os.chown(path, owner_ids.pw_uid, owner_ids.pw_gid)
        started = True
        start = ("-D", replica.data, "-l", replica.log, "-w", "-t", START_TIMEOUT, "-s", "start")
        try:
            _run_as(owner, bin_dir / "pg_ctl", *start, timeout=START_TIMEOUT + 30)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}\nThe replica's log:\n{replica.log_text()[-3000:]}") from None
        yield replica
    finally:
        try:
            if started:
                stop = ("-D", replica.data, "-m", "immediate", "-s", "stop")
                _run_as(owner, bin_dir / "pg_ctl", *stop, check=False)
        finally:
            try:
                _drop_slot(params, slot)
            finally:
                shutil.rmtree(base, ignore_errors=True)
