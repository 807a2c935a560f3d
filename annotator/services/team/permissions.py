"""Who may plan the team's work: supervisors (and the owner of a PostgreSQL database)."""

from __future__ import annotations

from sqlalchemy import Connection, text

from annotator.domain.errors import AnnotatorError
from annotator.store.database import Database

REFUSED = "permission denied: only a supervisor {what}; nothing was changed"


def check_supervisor(db: Database, conn: Connection, by: str | None, what: str) -> None:
    """SQLite (a convention the app keeps, the file cannot enforce it): ``by`` must name a
    supervisor. PostgreSQL: the login role decides; a team member must be a supervisor (the
    database's functions refuse anyone else anyway), the owner may act without ``by``."""
    if db.team_member:
        if not conn.execute(text("SELECT annotator_is_supervisor()")).scalar():
            raise AnnotatorError(REFUSED.format(what=what))
        return
    if db.engine.dialect.name == "postgresql" and by is None:
        return  # the owner's own connection
    role = conn.execute(text("SELECT role FROM annotator WHERE name = :n"), {"n": by or ""}).scalar()
    if role != "supervisor":
        who = f"'{by}' is not a supervisor of this database" if by else "say who you are (--as NAME)"
        raise AnnotatorError(f"{REFUSED.format(what=what)} ({who})")
