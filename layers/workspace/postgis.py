"""Workspaces on a PostgreSQL + PostGIS server: the team store.

Same rows as the GeoPackage backend, in schema ``cordon``; the database, not the page, decides
who may do what, through three group roles:

- ``cordon_viewer`` reads;
- ``cordon_editor`` also appends record versions (records, corrections, retractions);
- ``cordon_admin`` also creates and deletes workspaces and grants roles.

``records`` is append-only for everyone but the schema owner (no UPDATE or DELETE is granted),
and a trigger stamps ``recorded_by`` with the database user and ``recorded_at`` with the
server's clock, so neither can be forged by a client. Writers on one workspace are serialised
by a transaction-scoped advisory lock.

SQLAlchemy 2 (with the psycopg 3 driver) holds the connections: its engine pools and
reconnects, and geopandas' ``to_postgis``/``read_postgis`` (user layers, QGIS tables) take the
same engine.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
from collections.abc import Iterator, Sequence

from layers.workspace.backend import (
    Backend,
    NewRow,
    PermissionDenied,
    Row,
    Transaction,
    WorkspaceError,
)

# psycopg warns "error ignored terminating <Pipeline>" when a connection drops mid-batch; the
# user gets our one-line message about it instead.
logging.getLogger("psycopg").setLevel(logging.ERROR)

SCHEMA_VERSION = 2
ROLES = ("viewer", "editor", "admin")
_COLUMNS = "seq, kind, id, body, recorded_at, recorded_by, supersedes, reason, op"

#: Migrations by target version; each runs once, in order, inside one transaction.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE SCHEMA IF NOT EXISTS cordon",
        "CREATE TABLE cordon.meta (key text PRIMARY KEY, value text NOT NULL)",
        "CREATE TABLE cordon.workspaces (name text PRIMARY KEY, title text NOT NULL, "
        "created_at text NOT NULL, created_by text NOT NULL DEFAULT session_user, "
        "deleted_at text, deleted_by text, deleted_reason text)",
        "CREATE TABLE cordon.records (seq bigserial PRIMARY KEY, "
        "workspace text NOT NULL REFERENCES cordon.workspaces(name), kind text NOT NULL, "
        "id text NOT NULL, body text, recorded_at text NOT NULL, recorded_by text NOT NULL, "
        "supersedes bigint REFERENCES cordon.records(seq), reason text NOT NULL DEFAULT '', "
        "op text NOT NULL)",
        "CREATE INDEX records_by_workspace ON cordon.records (workspace, seq)",
        # The server stamps who and when; a client cannot write another user's name.
        "CREATE FUNCTION cordon.stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "NEW.recorded_by := session_user; NEW.recorded_at := to_char(clock_timestamp() AT TIME "
        "ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'); RETURN NEW; END $$",
        "CREATE TRIGGER stamp BEFORE INSERT ON cordon.records FOR EACH ROW EXECUTE FUNCTION "
        "cordon.stamp()",
        "CREATE FUNCTION cordon.stamp_workspace() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'INSERT' THEN NEW.created_by := session_user; NEW.created_at := "
        "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'); "
        "ELSIF NEW.deleted_at IS NOT NULL THEN NEW.deleted_by := session_user; END IF; "
        "RETURN NEW; END $$",
        "CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON cordon.workspaces FOR EACH ROW "
        "EXECUTE FUNCTION cordon.stamp_workspace()",
        "DO $$ BEGIN "
        "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cordon_viewer') THEN "
        "CREATE ROLE cordon_viewer NOLOGIN; END IF; "
        "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cordon_editor') THEN "
        "CREATE ROLE cordon_editor NOLOGIN; END IF; "
        "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cordon_admin') THEN "
        "CREATE ROLE cordon_admin NOLOGIN; END IF; END $$",
        "GRANT cordon_viewer TO cordon_editor",
        "GRANT cordon_editor TO cordon_admin",
        # Admins grant roles (PostgreSQL 15 counts admin options held through membership).
        "GRANT cordon_viewer, cordon_editor TO cordon_admin WITH ADMIN OPTION",
        "GRANT USAGE ON SCHEMA cordon TO cordon_viewer",
        "GRANT SELECT ON cordon.meta, cordon.workspaces, cordon.records TO cordon_viewer",
        "GRANT INSERT ON cordon.records TO cordon_editor",
        "GRANT USAGE ON SEQUENCE cordon.records_seq_seq TO cordon_editor",
        "GRANT INSERT, UPDATE (title, deleted_at, deleted_by, deleted_reason) ON "
        "cordon.workspaces TO cordon_admin",
        # QGIS-ready tables of each workspace's state today, rewritten after each write
        # (layers.workspace.qgis); owned by the editor role so any editor may replace them.
        # User layers (layers.store_postgis): one table each in cordon_layers, a registry
        # and their history; editors manage them, viewers read them.
        "CREATE SCHEMA IF NOT EXISTS cordon_layers",
        "CREATE TABLE cordon.layers (name text PRIMARY KEY, created_at timestamptz NOT NULL "
        "DEFAULT clock_timestamp())",
        "CREATE TABLE cordon.layer_history (id bigserial PRIMARY KEY, at text NOT NULL "
        "DEFAULT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
        "layer text NOT NULL, operation text NOT NULL, features integer NOT NULL, source text, "
        "by text NOT NULL DEFAULT session_user)",
        "GRANT USAGE ON SCHEMA cordon_layers TO cordon_viewer",
        "GRANT CREATE ON SCHEMA cordon_layers TO cordon_editor",
        "GRANT SELECT ON cordon.layers, cordon.layer_history TO cordon_viewer",
        "GRANT INSERT, DELETE ON cordon.layers TO cordon_editor",
        "GRANT INSERT ON cordon.layer_history TO cordon_editor",
        "GRANT USAGE ON SEQUENCE cordon.layer_history_id_seq TO cordon_editor",
        "CREATE SCHEMA IF NOT EXISTS cordon_qgis",
        "GRANT USAGE ON SCHEMA cordon_qgis TO cordon_viewer",
        "GRANT CREATE ON SCHEMA cordon_qgis TO cordon_editor",
        "CREATE TABLE cordon_qgis.refreshed (workspace text PRIMARY KEY, stamp text NOT NULL)",
        "GRANT SELECT ON cordon_qgis.refreshed TO cordon_viewer",
        "GRANT INSERT, UPDATE ON cordon_qgis.refreshed TO cordon_editor",
    ),
    # The columns that date a user layer's features (Store.set_time), kept with the layer.
    2: (
        "ALTER TABLE cordon.layers ADD COLUMN time_from text, ADD COLUMN time_to text",
        "GRANT UPDATE (time_from, time_to) ON cordon.layers TO cordon_editor",
    ),
}


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(//[^:/@]+):[^@]*@", r"\1:***@", url)


def _engine_url(url: str) -> str:
    return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", url)


def _plain(exc: Exception, location: str) -> str:
    """A database error in one line a user can act on."""
    orig = getattr(exc, "orig", exc)
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    low = text.lower()
    if "password authentication failed" in low:
        return f"store {location}: wrong user name or password"
    if "connection refused" in low or "could not connect" in low or "no such file" in low:
        return f"store {location}: cannot connect (is the server running?): {text}"
    if "does not exist" in low and "database" in low:
        return f"store {location}: {text}"
    if "terminating connection" in low or "server closed the connection" in low:
        return f"store {location}: the server closed the connection mid-way; nothing was " \
               "written, try again"
    return f"store {location}: {text}"


_ENGINES: dict[str, object] = {}
_ENGINES_LOCK = threading.Lock()


def _engine(url: str):
    """One engine (one connection pool) per URL per process: backends are cheap objects made
    per call, their pools must not pile up on the server."""
    from sqlalchemy import create_engine

    # Keyed by process too: a forked child must not use the sockets its parent pooled.
    key = f"{os.getpid()}|{url}"
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = create_engine(_engine_url(url), pool_pre_ping=True, pool_size=4,
                                   max_overflow=4, connect_args={"connect_timeout": 5})
            _ENGINES[key] = engine
        return engine


class _PgTransaction(Transaction):
    def __init__(self, con, name: str):
        self.con = con
        self.name = name

    def rows(self) -> list[Row]:
        from sqlalchemy import text

        res = self.con.execute(text(f"SELECT {_COLUMNS} FROM cordon.records WHERE workspace = "
                                    ":w ORDER BY seq"), {"w": self.name})
        return [Row(*r) for r in res]

    def append(self, rows: Sequence[NewRow], by: str) -> int:
        from sqlalchemy import text

        # One executemany; the workspace's advisory lock is held, so the newest seq of the
        # workspace afterwards is this write's.
        self.con.execute(
            text("INSERT INTO cordon.records (workspace, kind, id, body, recorded_at, "
                 "recorded_by, supersedes, reason, op) VALUES (:w, :k, :i, :b, '', '', :s, "
                 ":r, :o)"),
            [{"w": self.name, "k": r.kind, "i": r.id, "b": r.body, "s": r.supersedes,
              "r": r.reason, "o": r.op} for r in rows])
        return int(self.con.execute(text("SELECT max(seq) FROM cordon.records WHERE "
                                         "workspace = :w"), {"w": self.name}).scalar_one())


class PostGISBackend(Backend):
    """Workspaces in schema ``cordon`` of the PostgreSQL database at ``url``.

    Parameters
    ----------
    url : str
        ``postgresql://USER[:PASSWORD]@HOST:PORT/DB`` (libpq environment variables such as
        ``PGPASSWORD`` work too).
    """

    def __init__(self, url: str):
        self.url = url
        self.location = _safe_url(url)
        self.engine = _engine(url)
        self._checked = False

    # -- connections -------------------------------------------------------------------
    @contextlib.contextmanager
    def _begin(self, *, check: bool = True) -> Iterator:
        from sqlalchemy import exc as sa_exc

        try:
            with self.engine.begin() as con:
                if check:
                    self._check_schema(con)
                yield con
        except sa_exc.ProgrammingError as exc:
            if getattr(exc.orig, "sqlstate", "") == "42501":  # insufficient privilege
                raise PermissionDenied(
                    f"store {self.location}: user '{self._user_or_url()}' may not do this "
                    f"({str(exc.orig).splitlines()[0]})") from None
            raise WorkspaceError(_plain(exc, self.location)) from None
        except sa_exc.DBAPIError as exc:
            raise WorkspaceError(_plain(exc, self.location)) from None

    def _user_or_url(self) -> str:
        m = re.match(r"^\w[\w+]*://([^:@/]+)", self.url)
        return m.group(1) if m else "?"

    def _check_schema(self, con) -> None:
        if self._checked:
            return
        from sqlalchemy import text

        have = con.execute(text("SELECT to_regclass('cordon.meta')")).scalar()
        if have is None:
            raise WorkspaceError(f"store {self.location} has no Cordon schema yet; an admin "
                                 "runs: python -m layers store migrate --store URL")
        version = int(con.execute(text("SELECT value FROM cordon.meta WHERE key = 'schema'"))
                      .scalar_one())
        if version > SCHEMA_VERSION:
            raise WorkspaceError(f"store {self.location} has schema {version}, newer than this "
                                 f"program's {SCHEMA_VERSION}; upgrade Cordon before writing")
        if version < SCHEMA_VERSION:
            raise WorkspaceError(f"store {self.location} has schema {version}; an admin runs: "
                                 "python -m layers store migrate --store URL")
        self._checked = True

    # -- administration ----------------------------------------------------------------
    def migrate(self) -> tuple[int, int]:
        """Create or upgrade the schema (an admin's job). Returns (from, to) versions."""
        from sqlalchemy import text

        with self._begin(check=False) as con:
            con.execute(text("SELECT pg_advisory_xact_lock(hashtext('cordon-migrate'))"))
            have = con.execute(text("SELECT to_regclass('cordon.meta')")).scalar()
            start = 0 if have is None else int(con.execute(
                text("SELECT value FROM cordon.meta WHERE key = 'schema'")).scalar_one())
            if start > SCHEMA_VERSION:
                raise WorkspaceError(f"store {self.location} has schema {start}, newer than "
                                     f"this program's {SCHEMA_VERSION}")
            con.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
            for version in range(start + 1, SCHEMA_VERSION + 1):
                for sql in MIGRATIONS[version]:
                    con.exec_driver_sql(sql)
                con.execute(text("INSERT INTO cordon.meta (key, value) VALUES ('schema', :v) "
                                 "ON CONFLICT (key) DO UPDATE SET value = :v"),
                            {"v": str(version)})
        self._checked = False
        return start, SCHEMA_VERSION

    def grant(self, user: str, role: str) -> None:
        """Make database user ``user`` a viewer, editor or admin (an admin's job)."""
        if role not in ROLES:
            raise WorkspaceError(f"role {role!r}; expected one of {', '.join(ROLES)}")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]{0,62}", user):
            raise WorkspaceError(f"user name {user!r} is not a plain database user name")
        with self._begin() as con:
            for other in ROLES:
                if other != role:
                    con.exec_driver_sql(f'REVOKE cordon_{other} FROM "{user}"')
            # An admin may make other admins: the admin role is granted with its admin option.
            extra = " WITH ADMIN OPTION" if role == "admin" else ""
            con.exec_driver_sql(f'GRANT cordon_{role} TO "{user}"{extra}')

    def after_write(self, workspace) -> None:
        """Have the workspace's QGIS tables (state today) rewritten, off the writer's path."""
        from layers.workspace.qgis import schedule

        schedule(workspace)

    # -- the interface -----------------------------------------------------------------
    def user(self) -> str | None:
        from sqlalchemy import text

        with self._begin() as con:
            return str(con.execute(text("SELECT session_user")).scalar_one())

    def can_write(self) -> bool:
        from sqlalchemy import text

        with self._begin() as con:
            return bool(con.execute(text(
                "SELECT has_table_privilege('cordon.records', 'INSERT')")).scalar_one())

    def role(self) -> str:
        """``admin``, ``editor``, ``viewer`` or ``none`` for the connected user."""
        from sqlalchemy import text

        with self._begin() as con:
            for role in ("admin", "editor", "viewer"):
                if con.execute(text("SELECT pg_has_role(session_user, :r, 'MEMBER')"),
                               {"r": f"cordon_{role}"}).scalar_one():
                    return role
            owner = con.execute(text("SELECT pg_get_userbyid(nspowner) = session_user FROM "
                                     "pg_namespace WHERE nspname = 'cordon'")).scalar()
        return "admin" if owner else "none"

    def workspaces(self) -> list[dict]:
        from sqlalchemy import text

        with self._begin() as con:
            rows = con.execute(text(
                "SELECT w.name, w.title, w.created_at, w.created_by, (SELECT coalesce(max(seq), "
                "0) FROM cordon.records r WHERE r.workspace = w.name) FROM cordon.workspaces w "
                "WHERE w.deleted_at IS NULL ORDER BY w.name")).all()
        return [dict(zip(("name", "title", "created_at", "created_by", "version"), r,
                         strict=True)) for r in rows]

    def exists(self, name: str) -> bool:
        from sqlalchemy import text

        with self._begin() as con:
            return con.execute(text("SELECT 1 FROM cordon.workspaces WHERE name = :n AND "
                                    "deleted_at IS NULL"), {"n": name}).first() is not None

    def create(self, name: str, title: str, by: str) -> None:
        from sqlalchemy import text

        with self._begin() as con:
            con.execute(text("SELECT pg_advisory_xact_lock(hashtext(:n))"), {"n": name})
            old = con.execute(text("SELECT deleted_at FROM cordon.workspaces WHERE name = :n"),
                              {"n": name}).first()
            if old is not None:
                why = f"was deleted on {old[0]}; " if old[0] else "exists already; "
                raise WorkspaceError(f"workspace '{name}' {why}choose another name")
            con.execute(text("INSERT INTO cordon.workspaces (name, title, created_at, "
                             "created_by) VALUES (:n, :t, '', '')"), {"n": name, "t": title})

    def delete(self, name: str, by: str, reason: str) -> None:
        from sqlalchemy import text

        if not self.exists(name):
            raise WorkspaceError(f"no workspace '{name}' in store {self.location}")
        with self._begin() as con:
            con.execute(text("UPDATE cordon.workspaces SET deleted_at = to_char(clock_timestamp()"
                             " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
                             "deleted_reason = :r WHERE name = :n"), {"n": name, "r": reason})

    def rows(self, name: str, as_known_on: str | None = None) -> list[Row]:
        from sqlalchemy import text

        sql = f"SELECT {_COLUMNS} FROM cordon.records WHERE workspace = :w"
        args: dict = {"w": name}
        if as_known_on is not None:
            sql += " AND recorded_at <= :t"
            args["t"] = as_known_on
        with self._begin() as con:
            return [Row(*r) for r in con.execute(text(sql + " ORDER BY seq"), args)]

    def version(self, name: str) -> int:
        from sqlalchemy import text

        with self._begin() as con:
            return int(con.execute(text("SELECT coalesce(max(seq), 0) FROM cordon.records "
                                        "WHERE workspace = :w"), {"w": name}).scalar_one())

    @contextlib.contextmanager
    def transaction(self, name: str) -> Iterator[Transaction]:
        from sqlalchemy import text

        with self._begin() as con:
            # One writer per workspace at a time; the lock ends with the transaction.
            con.execute(text("SELECT pg_advisory_xact_lock(hashtext('cordon-ws:' || :n))"),
                        {"n": name})
            yield _PgTransaction(con, name)


def dispose_engines(database_url_part: str = "") -> None:
    """Close the pooled connections of the cached engines whose URL contains the text given
    (all by default): for tests and tools that drop databases."""
    with _ENGINES_LOCK:
        for key in [k for k in _ENGINES if database_url_part in k]:
            engine = _ENGINES.pop(key)
            # Another process's pool (inherited by fork) is dropped without closing its
            # sockets, which belong to that process.
            engine.dispose(close=key.startswith(f"{os.getpid()}|"))
