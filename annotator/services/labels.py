"""Labels: list, add, rename, recolour, hotkey, describe, reorder, archive."""

from __future__ import annotations

from sqlmodel import Session, select

from annotator.domain.labels import PALETTE, LabelError, clean_color, clean_hotkey, clean_name
from annotator.services.models import LabelInfo
from annotator.store import team_api
from annotator.store.database import Database
from annotator.store.tables import Label


def to_info(label: Label) -> LabelInfo:
    assert label.id is not None
    return LabelInfo(
        label.id, label.name, label.color, label.hotkey, label.description, label.position, label.archived
    )


class LabelService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self, *, include_archived: bool = False) -> list[LabelInfo]:
        with self._db.read() as session:
            query = select(Label).order_by(Label.position, Label.id)
            if not include_archived:
                query = query.where(Label.archived == False)  # noqa: E712 (SQL expression)
            return [to_info(label) for label in session.exec(query)]

    def create(
        self, name: str, color: str | None = None, hotkey: str | None = None, description: str = ""
    ) -> LabelInfo:
        with self._db.write() as session:
            labels = list(session.exec(select(Label)))
            name = clean_name(name)
            self._check_name_free(labels, name, None)
            hotkey = clean_hotkey(hotkey)
            self._check_hotkey_free(labels, hotkey, None)
            color = clean_color(color) if color else PALETTE[len(labels) % len(PALETTE)]
            position = max((label.position for label in labels), default=-1) + 1
            label = Label(
                name=name, color=color, hotkey=hotkey, description=description.strip(), position=position
            )
            return to_info(self._save(session, label))

    def update(
        self,
        label_id: int,
        *,
        name: str | None = None,
        color: str | None = None,
        hotkey: str | bool | None = False,
        description: str | None = None,
    ) -> LabelInfo:
        """Change what is given; ``hotkey=None`` clears the hotkey, the default leaves it."""
        with self._db.write() as session:
            label = self._get(session, label_id)
            labels = list(session.exec(select(Label)))
            if name is not None:
                name = clean_name(name)
                self._check_name_free(labels, name, label_id)
                label.name = name
            if color is not None:
                label.color = clean_color(color)
            if hotkey is not False:
                key = clean_hotkey(hotkey)  # type: ignore[arg-type]
                self._check_hotkey_free(labels, key, label_id)
                label.hotkey = key
            if description is not None:
                label.description = description.strip()
            return to_info(self._save(session, label))

    def set_archived(self, label_id: int, archived: bool) -> LabelInfo:
        with self._db.write() as session:
            label = self._get(session, label_id)
            if not archived and label.hotkey:
                others = [x for x in session.exec(select(Label)) if not x.archived]
                if any(x.hotkey == label.hotkey and x.id != label_id for x in others):
                    label.hotkey = None  # its key was given to another label while archived
            label.archived = archived
            return to_info(self._save(session, label))

    def reorder(self, label_ids: list[int]) -> None:
        with self._db.write() as session:
            labels = {label.id: label for label in session.exec(select(Label))}
            if set(label_ids) != set(labels):
                raise LabelError("the new order must list every label exactly once")
            for position, label_id in enumerate(label_ids):
                labels[label_id].position = position
                self._save(session, labels[label_id])

    def by_name(self, name: str) -> LabelInfo:
        with self._db.read() as session:
            label = session.exec(select(Label).where(Label.name == name)).first()
            if label is None:
                raise LabelError(f"there is no label named '{name}'")
            return to_info(label)

    def _save(self, session: Session, label: Label) -> Label:
        """Written through the ORM, or for a team member through migration 0005's function (which
        only a supervisor may call); the object then leaves the session, which must not flush it."""
        if not self._db.team_member:
            session.add(label)
            session.flush()
            return label
        fields = {
            "name": label.name,
            "color": label.color,
            "hotkey": label.hotkey,
            "description": label.description,
            "position": label.position,
            "archived": label.archived,
        }
        label_id = team_api.save_label(session.connection(), label.id, fields)
        if label in session:
            session.expunge(label)
        label.id = label_id
        return label

    @staticmethod
    def _get(session: Session, label_id: int) -> Label:
        label = session.get(Label, label_id)
        if label is None:
            raise LabelError(f"label {label_id} does not exist (was it deleted by someone else?)")
        return label

    @staticmethod
    def _check_name_free(labels: list[Label], name: str, own_id: int | None) -> None:
        for other in labels:
            if other.id != own_id and other.name.casefold() == name.casefold():
                state = " (archived)" if other.archived else ""
                raise LabelError(f"a label named '{other.name}'{state} already exists")

    @staticmethod
    def _check_hotkey_free(labels: list[Label], hotkey: str | None, own_id: int | None) -> None:
        if hotkey is None:
            return
        for other in labels:
            if other.id != own_id and not other.archived and other.hotkey == hotkey:
                raise LabelError(f"hotkey {hotkey} is already used by '{other.name}'")
