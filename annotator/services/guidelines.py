"""Guideline versions: every change of a label's description is kept with its time and author.

The version in force is the newest row's id (0 when no description was ever written). A document's
status becoming done records the version in force (a trigger, migration 0007), so an export can
name the guidelines each document was annotated under."""

from __future__ import annotations

import getpass

from sqlalchemy import func
from sqlmodel import Session, select

from annotator.services.models import GuidelineVersionInfo
from annotator.store import team_document_api
from annotator.store.database import Database
from annotator.store.tables import GuidelineVersion, Label


def default_author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def record_guideline(session: Session, team_member: bool, label: Label, author: str | None) -> None:
    """Keep ``label``'s present description as a new version. On a team database the function
    records the login role as the author, whoever the caller says they are."""
    assert label.id is not None
    if team_member:
        team_document_api.record_guideline(session.connection(), label.id, label.description)
        return
    session.add(
        GuidelineVersion(
            label_id=label.id,
            label_name=label.name,
            description=label.description,
            author=author or default_author(),
        )
    )
    session.flush()


class GuidelineService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def current_version(self) -> int:
        with self._db.read() as session:
            return session.exec(select(func.coalesce(func.max(GuidelineVersion.id), 0))).one()

    def history(self, label_name: str | None = None) -> list[GuidelineVersionInfo]:
        """Every version, oldest first (of one label, when named)."""
        with self._db.read() as session:
            query = select(GuidelineVersion).order_by(GuidelineVersion.id)  # type: ignore[arg-type]
            if label_name is not None:
                ids = select(Label.id).where(Label.name == label_name)
                query = query.where(GuidelineVersion.label_id.in_(ids))  # type: ignore[attr-defined]
            return [
                GuidelineVersionInfo(
                    v.id or 0,
                    v.label_id,
                    v.label_name,
                    v.description,
                    v.author,
                    v.created_at.replace(microsecond=0).isoformat(),
                )
                for v in session.exec(query)
            ]
