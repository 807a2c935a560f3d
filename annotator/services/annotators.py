"""Who is annotating. The adjudicated gold layer is a reserved annotator of its own."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, select

from annotator.domain.errors import AnnotatorError
from annotator.domain.names import clean_display_name
from annotator.services.models import AnnotatorInfo
from annotator.store import team_api
from annotator.store.database import Database
from annotator.store.tables import Annotator

GOLD_NAME = "gold"
ROLES = ("annotator", "supervisor")


def clean_annotator_name(name: str) -> str:
    return clean_display_name(name, "annotator")


def get_or_create(session: Session, name: str, role: str = "annotator") -> Annotator:
    existing = session.exec(select(Annotator).where(Annotator.name == name)).first()
    if existing is not None:
        return existing
    annotator = Annotator(name=name, role="gold" if name == GOLD_NAME else role)
    session.add(annotator)
    session.flush()
    return annotator


def to_info(annotator: Annotator) -> AnnotatorInfo:
    assert annotator.id is not None
    return AnnotatorInfo(annotator.id, annotator.name, annotator.role)


class AnnotatorService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self, *, include_gold: bool = False) -> list[AnnotatorInfo]:
        with self._db.read() as session:
            query = select(Annotator).order_by(Annotator.name)
            if not include_gold:
                query = query.where(Annotator.role != "gold")
            return [to_info(a) for a in session.exec(query)]

    def sign_in(self, name: str, role: str = "annotator") -> AnnotatorInfo:
        """The annotator of this name, created if new; the gold layer cannot be signed in as."""
        name = clean_annotator_name(name)
        if name == GOLD_NAME:
            raise AnnotatorError(f"'{GOLD_NAME}' is reserved for the adjudicated layer; choose another name")
        if role not in ROLES:
            raise AnnotatorError(f"unknown role '{role}'; use one of {', '.join(ROLES)}")
        with self._db.write() as session:
            if self._db.team_member:
                return self._sign_in_member(session, name, role)
            annotator = get_or_create(session, name, role)
            if annotator.role != role:
                # A Core update, so a row-level-security refusal (team databases) shows as 0 rows.
                changed = session.connection().execute(
                    update(Annotator).where(Annotator.id == annotator.id).values(role=role)  # type: ignore[arg-type]
                )
                if changed.rowcount != 1:
                    raise AnnotatorError(
                        f"'{name}' is registered as {annotator.role}; on this team database only the "
                        "administrator changes roles"
                    )
                return AnnotatorInfo(annotator.id, annotator.name, role)  # type: ignore[arg-type]
            return to_info(annotator)

    @staticmethod
    def _sign_in_member(session: Session, name: str, role: str) -> AnnotatorInfo:
        """A team member is the annotator row of their login role, registered by migration 0005's
        function (as a plain annotator) the first time; roles are the owner's to change."""
        existing = session.exec(select(Annotator).where(Annotator.name == name)).first()
        if existing is None:
            existing_info = AnnotatorInfo(*team_api.sign_up(session.connection(), name))
        else:
            existing_info = to_info(existing)
        if existing_info.role != role:
            raise AnnotatorError(
                f"'{name}' is registered as {existing_info.role}; on this team database only the "
                "administrator changes roles"
            )
        return existing_info

    def current_database_user(self) -> str:
        with self._db.read() as session:
            return str(session.connection().exec_driver_sql("SELECT current_user").scalar_one())

    def find(self, name: str) -> AnnotatorInfo | None:
        with self._db.read() as session:
            found = session.exec(select(Annotator).where(Annotator.name == name)).first()
            return to_info(found) if found else None
