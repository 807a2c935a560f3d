"""Keeping the Team view's span tally of migration 0008 in step during a bulk import (SQLite).

The tally's row trigger upserts one tally row per inserted span. The import sets it aside
(store/deferred_trigger.py) and, at the end, either adds the counts it kept itself (when every span
it offered was inserted, it knows each one's annotator and label, and all carry its one stamp) or
counts the spans it added with one grouped ``INSERT … SELECT`` (when some were already stored: only
the database knows which). Counting a million spans in SQL took 1.3-2 s; in the importer 0.1 s.
The hour is the trigger's own expression (migration 0008's ``SQLITE_HOUR``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlalchemy import Connection, text

from annotator.store.deferred_trigger import set_aside_trigger

TRIGGER = "span_tally_insert"
CATCH_UP = (
    "INSERT INTO span_tally (annotator_id, label_id, hour, n) "
    "SELECT annotator_id, label_id, substr(created_at, 1, 13), count(*) FROM span WHERE id > :before "
    "GROUP BY 1, 2, 3 "
    "ON CONFLICT (annotator_id, label_id, hour) DO UPDATE SET n = n + excluded.n"
)
ADD_COUNT = (
    "INSERT INTO span_tally (annotator_id, label_id, hour, n) VALUES (?, ?, substr(?, 1, 13), ?) "
    "ON CONFLICT (annotator_id, label_id, hour) DO UPDATE SET n = n + excluded.n"
)

# counts: (annotator id, label id) -> spans added, all stamped `stamp` (the stored created_at
# text); None when the import does not know them.
Finish = Callable[[Mapping[tuple[int, int], int] | None, str], None]


def defer_tally(conn: Connection) -> Finish:
    """Drop the span insert trigger and return what tallies the new spans and restores it; call
    it before the transaction commits. PostgreSQL's statement triggers need nothing."""
    if (
        conn.dialect.name != "sqlite"
        or not conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = :name"), {"name": TRIGGER}
        ).first()
    ):
        return lambda counts, stamp: None
    before = conn.execute(text("SELECT coalesce(max(id), 0) FROM span")).scalar_one()
    restore = set_aside_trigger(conn, TRIGGER)

    def finish(counts: Mapping[tuple[int, int], int] | None, stamp: str) -> None:
        if counts is None:
            conn.execute(text(CATCH_UP), {"before": before})
        elif counts:
            conn.connection.driver_connection.executemany(  # type: ignore[union-attr]
                ADD_COUNT, [(a, lab, stamp, n) for (a, lab), n in counts.items()]
            )
        restore()

    return finish
