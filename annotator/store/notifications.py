"""Listening for other people's committed changes on a PostgreSQL database (LISTEN/NOTIFY).

Migration 0004's triggers notify after every statement that changes spans or statuses; since
migration 0005 only on channels handed out by ``annotator_listen()`` (to supervisors and the
owner), whose random names nobody else can read, so an annotator cannot LISTEN to learn when
others work. A ChangeListener holds its own connection (outside the pool: it sits idle in LISTEN
for as long as a review window is open); its socket becomes readable when a notification arrives,
so a GUI can watch fileno() and call drain() then, without a thread and without polling.

A notification is only a hint that something may have changed: anyone connected can NOTIFY any
channel (PostgreSQL has no privilege for it), so drain() counts them and never reads a payload;
the review window then compares its cheap fingerprint.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from annotator.store.errors import StoreError


class ChangeListener:
    def __init__(self, connection: Any, channel: str) -> None:
        self._conn = connection
        self.channel = channel

    @classmethod
    def open(cls, engine: Engine) -> ChangeListener | None:
        """None on SQLite, which has no notifications."""
        if engine.dialect.name != "postgresql":
            return None
        import psycopg
        from psycopg import sql

        cargs, cparams = engine.dialect.create_connect_args(engine.url)
        try:
            conn = psycopg.connect(*cargs, **cparams, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(f"cannot listen for changes ({exc}); the review window polls instead") from None
        try:
            channel = conn.execute("SELECT annotator_listen()").fetchone()[0]
            conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
        except psycopg.Error as exc:
            conn.close()
            raise StoreError(f"cannot listen for changes ({exc}); the review window polls instead") from None
        return cls(conn, channel)

    def fileno(self) -> int:
        return int(self._conn.fileno())

    def drain(self) -> int:
        """How many notifications arrived since the last call (0 when the socket woke for nothing).
        Raises StoreError when the connection is lost."""
        import psycopg

        try:
            return sum(1 for _ in self._conn.notifies(timeout=0))
        except psycopg.Error as exc:
            raise StoreError(
                f"stopped listening for changes ({exc}); the review window polls instead"
            ) from None

    def close(self) -> None:
        self._conn.close()
