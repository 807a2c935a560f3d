"""Who is annotating. The adjudicated gold layer is a reserved annotator of its own."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, select

from annotator.domain.errors import AnnotatorError
from annotator.domain.names import GOLD_NAME, clean_display_name
from annotator.services.models import AnnotatorInfo
from annotator.store import team_api
from annotator.store.database import Database
from annotator.store.tables import Annotator

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

    def sign_in(self, name: str, role: str | None = None) -> AnnotatorInfo:
        """The annotator of this name, created if new; the gold layer cannot be signed in as.

        The role is never chosen here: it is the one stored, and the first person to sign in to a
        database without a supervisor becomes its supervisor (who creates a database supervises
        it). Afterwards only a supervisor grants the role (grant). role, when given, is what the
        caller expects: a different stored role is refused, nothing is changed."""
        name = clean_annotator_name(name)
        if name == GOLD_NAME:
            raise AnnotatorError(f"'{GOLD_NAME}' is reserved for the adjudicated layer; choose another name")
        if role is not None and role not in ROLES:
            raise AnnotatorError(f"unknown role '{role}'; use one of {', '.join(ROLES)}")
        with self._db.write() as session:
            if self._db.team_member:
                info = self._sign_in_member(session, name)
            else:
                info = self._sign_in_local(session, name)
            if role is not None and info.role != role:
                raise AnnotatorError(f"'{name}' is registered as {info.role}; {self._who_grants()}")
            return info

    def _who_grants(self) -> str:
        return (
            "only a supervisor grants or revokes the supervisor role (File > Team, or `annotator team grant`)"
        )

    @staticmethod
    def _sign_in_local(session: Session, name: str) -> AnnotatorInfo:
        """SQLite, or the owner on PostgreSQL: the stored row, created as an annotator; the
        database's first supervisor when it has none yet."""
        annotator = get_or_create(session, name)
        has_supervisor = session.exec(select(Annotator.id).where(Annotator.role == "supervisor")).first()
        if has_supervisor is None:
            session.connection().execute(
                update(Annotator).where(Annotator.id == annotator.id).values(role="supervisor")  # type: ignore[arg-type]
            )
            return AnnotatorInfo(annotator.id, annotator.name, "supervisor")  # type: ignore[arg-type]
        return to_info(annotator)

    def newcomer_role(self) -> str:
        """The role a person signing in for the first time gets on this database."""
        if self._db.team_member:
            return "annotator"
        return "annotator" if any(a.role == "supervisor" for a in self.list()) else "supervisor"

    def grant(self, name: str, role: str, *, by: str | None) -> AnnotatorInfo:
        """Give NAME the role (supervisor or annotator). On SQLite the acting person (by) must be
        a supervisor, a convention the app keeps (the file itself cannot enforce it). On
        PostgreSQL the database role decides: only the owner may update annotator rows (a team
        member is refused); on the owner's connection, by, when given, is checked the same way.
        The last supervisor cannot be revoked (the next newcomer would otherwise take the role)."""
        if role not in ROLES:
            raise AnnotatorError(f"unknown role '{role}'; use one of {', '.join(ROLES)}")
        postgres = self._db.engine.dialect.name == "postgresql"
        if self._db.team_member:  # the database decides (migration 0008's function)
            with self._db.write() as session:
                return AnnotatorInfo(*team_api.grant_role(session.connection(), name, role))
        with self._db.write() as session:
            if not (postgres and by is None):  # the owner's own connection needs no --as
                acting = session.exec(select(Annotator).where(Annotator.name == (by or ""))).first()
                if acting is None or acting.role != "supervisor":
                    who = f"'{by}'" if by else "nobody (say who you are with --as)"
                    raise AnnotatorError(
                        f"permission denied: {who} is not a supervisor of this database; only a "
                        "supervisor grants or revokes roles. Nothing was changed"
                    )
            target = session.exec(select(Annotator).where(Annotator.name == name)).first()
            if target is None:
                raise AnnotatorError(f"no annotator named '{name}'; they sign in once first")
            if target.role == "gold":
                raise AnnotatorError(f"'{name}' is the adjudicated layer, not a person; its role stays")
            if target.role == role:
                return to_info(target)
            if role == "annotator":
                others = session.exec(
                    select(Annotator.id).where(Annotator.role == "supervisor", Annotator.id != target.id)
                ).first()
                if others is None:
                    raise AnnotatorError(
                        f"'{name}' is the only supervisor; grant the role to someone else first. "
                        "Nothing was changed"
                    )
            session.connection().execute(
                update(Annotator).where(Annotator.id == target.id).values(role=role)  # type: ignore[arg-type]
            )
            return AnnotatorInfo(target.id, target.name, role)  # type: ignore[arg-type]

    @staticmethod
    def _sign_in_member(session: Session, name: str) -> AnnotatorInfo:
        """A team member is the annotator row of their login role, registered by migration 0005's
        function (as a plain annotator) the first time; roles are the owner's to change."""
        existing = session.exec(select(Annotator).where(Annotator.name == name)).first()
        if existing is None:
            return AnnotatorInfo(*team_api.sign_up(session.connection(), name))
        return to_info(existing)

    def current_database_user(self) -> str:
        with self._db.read() as session:
            return str(session.connection().exec_driver_sql("SELECT current_user").scalar_one())

    def find(self, name: str) -> AnnotatorInfo | None:
        with self._db.read() as session:
            found = session.exec(select(Annotator).where(Annotator.name == name)).first()
            return to_info(found) if found else None
