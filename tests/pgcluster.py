"""A throwaway PostgreSQL + PostGIS cluster for the team-store tests.

``initdb`` in a temporary folder, ``postgres`` on a free port on 127.0.0.1 (run as the
unprivileged ``postgres`` user when the tests run as root, since PostgreSQL refuses root),
password authentication over TCP, and a clean stop and removal afterwards. Needs Debian's
``postgresql`` and ``postgis`` packages; ``scripts/test.sh`` installs them.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SUPERUSER = "cordon_super"
PASSWORD = "test-only-password"


def _bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    hits = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return hits[-1] if hits else None


def available() -> str | None:
    """None when a cluster can be started here, else why not."""
    if _bin("initdb") is None or _bin("pg_ctl") is None:
        return "PostgreSQL server binaries (Debian package 'postgresql') are missing"
    if not glob.glob("/usr/share/postgresql/*/extension/postgis.control"):
        return "PostGIS (Debian package 'postgis') is missing"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A running cluster; :meth:`url` gives connection URLs for its users."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="cordon-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        pwfile = self.root / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if self._as:
            os.chown(pwfile, pwd.getpwnam("postgres").pw_uid, -1)
        self._run(_bin("initdb"), "-D", str(self.data), "-U", SUPERUSER, "--pwfile",
                  str(pwfile), "--auth-local=trust", "--auth-host=scram-sha-256",
                  "-E", "UTF8", "--locale=C.UTF-8")
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-w",
                  "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                        "-c fsync=off -c max_connections=200", "start")
        self.createdb("cordon_test")

    def _run(self, *cmd: str) -> None:
        subprocess.run([*self._as, *cmd], check=True, capture_output=True, text=True,
                       cwd=self.root, timeout=120)

    def url(self, user: str = SUPERUSER, password: str = PASSWORD,
            db: str = "cordon_test") -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{db}"

    def sql(self, statement: str, db: str = "cordon_test") -> None:
        import psycopg

        with psycopg.connect(self.url(db=db), autocommit=True) as con:
            con.execute(statement)

    def createdb(self, name: str) -> None:
        self.sql(f'CREATE DATABASE "{name}"', db="postgres")

    def create_user(self, name: str, password: str = PASSWORD) -> str:
        self.sql(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}'")
        return self.url(name, password)

    def restart(self) -> None:
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-w",
                  "-m", "fast", "restart")

    def stop(self) -> None:
        try:
            self._run(_bin("pg_ctl"), "-D", str(self.data), "-w", "-m", "immediate", "stop")
        except subprocess.CalledProcessError:
            pass
        for _ in range(50):
            if not (self.data / "postmaster.pid").exists():
                break
            time.sleep(0.1)
        shutil.rmtree(self.root, ignore_errors=True)
