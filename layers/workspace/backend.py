"""The one interface every workspace store implements (GeoPackage now, PostGIS for teams).

A workspace is an append-only log of record versions. Each row is one version of one record
(``kind`` + ``id``) with its body in the pack format (JSON), or no body for a retraction, and
its transaction time: ``seq`` (the store's order of writes), ``recorded_at``, ``recorded_by``,
``supersedes`` (the ``seq`` of the version it replaces) and ``reason``. Nothing is updated or
deleted; the state as known at any time is the newest version of each record written by then.

A backend only stores and returns rows, atomically and in order. Everything else — what a
change means, validation, conflicts on stale writes — is :mod:`layers.workspace.core`'s, the same
for every backend, the way SQLAlchemy keeps one ORM above a dialect per database.
"""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass


class WorkspaceError(ValueError):
    """A workspace operation that cannot be done; the message says what, in one line."""


class ConflictError(WorkspaceError):
    """A write based on a stale version touches records that changed since."""


class PermissionDenied(WorkspaceError):
    """The store refused the write for this user (a team store's roles)."""


@dataclass(frozen=True, slots=True)
class Row:
    """One version of one record."""

    seq: int
    kind: str
    id: str
    body: str | None  # JSON in the pack format; None: retracted
    recorded_at: str  # ISO 8601 UTC, microseconds
    recorded_by: str
    supersedes: int | None
    reason: str
    op: str  # create | record | correct | retract | fork | import


@dataclass(frozen=True, slots=True)
class NewRow:
    """A version about to be written (``seq`` and ``recorded_at`` come from the store)."""

    kind: str
    id: str
    body: str | None
    supersedes: int | None
    reason: str
    op: str


class Transaction(ABC):
    """One write on one workspace: read its rows, then append; all or nothing."""

    @abstractmethod
    def rows(self) -> list[Row]:
        """Every row of the workspace, in ``seq`` order (read inside the transaction)."""

    @abstractmethod
    def append(self, rows: Sequence[NewRow], by: str) -> int:
        """Append ``rows`` stamped now and by ``by``; return the new version (last seq)."""


class Backend(ABC):
    """Storage of workspaces: listing, creating, reading and appending rows."""

    #: Shown in messages, e.g. the GeoPackage path or the database URL without password.
    location: str

    @abstractmethod
    def workspaces(self) -> list[dict]:
        """``[{name, title, created_at, created_by, version}]`` of live workspaces."""

    @abstractmethod
    def create(self, name: str, title: str, by: str) -> None:
        """Register a new, empty workspace; :class:`WorkspaceError` if the name is taken."""

    @abstractmethod
    def delete(self, name: str, by: str, reason: str) -> None:
        """Hide a workspace from listings (its rows are kept, the name stays taken)."""

    @abstractmethod
    def exists(self, name: str) -> bool:
        """Whether a live workspace ``name`` exists."""

    @abstractmethod
    def rows(self, name: str, as_known_on: str | None = None) -> list[Row]:
        """Rows of ``name`` in ``seq`` order, only those recorded at or before
        ``as_known_on`` (ISO 8601 UTC) when given."""

    @abstractmethod
    def version(self, name: str) -> int:
        """The newest ``seq`` of the workspace (0 when empty)."""

    @abstractmethod
    @contextlib.contextmanager
    def transaction(self, name: str) -> Iterator[Transaction]:
        """A write transaction on workspace ``name``, serialised with other writers."""

    def user(self) -> str | None:
        """The user the store itself knows (a database role), or None (the caller says)."""
        return None

    def can_write(self) -> bool:
        """Whether this user may record, correct and retract."""
        return True

    def after_write(self, workspace) -> None:  # noqa: B027 - optional hook
        """Called after each committed write (e.g. to refresh derived tables); errors there
        are logged, never raised: the write itself is done."""
