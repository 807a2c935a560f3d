"""Labels: list, add, rename, recolour, hotkey, describe, reorder, archive."""

from __future__ import annotations

from sqlmodel import Session, select

from annotator.domain.labels import (
    PALETTE,
    LabelError,
    clean_color,
    clean_hotkey,
    clean_kind,
    clean_label_set,
    clean_name,
)
from annotator.services.guidelines import record_guideline
from annotator.services.models import LabelInfo
from annotator.store import team_api, team_document_api
from annotator.store.database import Database
from annotator.store.tables import Label


def to_info(label: Label) -> LabelInfo:
    assert label.id is not None
    return LabelInfo(
        label.id,
        label.name,
        label.color,
        label.hotkey,
        label.description,
        label.position,
        label.archived,
        label.kind or "span",
        label.label_set or "",
        bool(label.multiple),
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
        self,
        name: str,
        color: str | None = None,
        hotkey: str | None = None,
        description: str = "",
        *,
        kind: str = "span",
        label_set: str = "",
        multiple: bool | None = None,
        author: str | None = None,
    ) -> LabelInfo:
        """``kind`` "document": a label for the whole document, in the group ``label_set`` (whose
        choice mode ``multiple`` is; None keeps the group's). Document labels take no single-key
        hotkey: they are set with Ctrl+Alt+1..9 by position."""
        with self._db.write() as session:
            labels = list(session.exec(select(Label)))
            name = clean_name(name)
            self._check_name_free(labels, name, None)
            kind = clean_kind(kind)
            hotkey = clean_hotkey(hotkey) if kind == "span" else None
            self._check_hotkey_free(labels, hotkey, None)
            color = clean_color(color) if color else PALETTE[len(labels) % len(PALETTE)]
            position = max((label.position for label in labels), default=-1) + 1
            label = Label(
                name=name, color=color, hotkey=hotkey, description=description.strip(), position=position
            )
            saved = self._save(session, label)
            if kind == "document":
                self._set_kind(session, saved, kind, clean_label_set(label_set), multiple, labels)
            if saved.description:
                record_guideline(session, self._db.team_member, saved, author)
            return to_info(saved)

    def update(
        self,
        label_id: int,
        *,
        name: str | None = None,
        color: str | None = None,
        hotkey: str | bool | None = False,
        description: str | None = None,
        kind: str | None = None,
        label_set: str | None = None,
        multiple: bool | None = None,
        author: str | None = None,
    ) -> LabelInfo:
        """Change what is given; ``hotkey=None`` clears the hotkey, the default leaves it. A new
        description is kept as a new guideline version (with ``author``; on a team database the
        login role)."""
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
            changed_description = description is not None and description.strip() != label.description
            if description is not None:
                label.description = description.strip()
            new_kind = clean_kind(kind) if kind is not None else label.kind
            if new_kind == "document":
                label.hotkey = None
            saved = self._save(session, label)
            if kind is not None or label_set is not None or multiple is not None:
                new_set = clean_label_set(label_set) if label_set is not None else label.label_set
                self._set_kind(session, saved, new_kind, new_set, multiple, labels)
            if changed_description:
                record_guideline(session, self._db.team_member, saved, author)
            return to_info(saved)

    def _set_kind(
        self,
        session: Session,
        label: Label,
        kind: str,
        label_set: str,
        multiple: bool | None,
        labels: list[Label],
    ) -> None:
        """A label's kind and group; the choice mode belongs to the group, so every document label
        of the group gets it (None: the group's present mode, single-choice for a new group)."""
        group = [x for x in labels if x.kind == "document" and x.label_set == label_set and x.id != label.id]
        if multiple is None:
            multiple = bool(group[0].multiple) if group else False
        if kind != "document":
            group, multiple = [], False
        for member in [label, *group]:
            member.kind = kind if member is label else member.kind
            member.label_set = label_set if member is label else member.label_set
            member.multiple = multiple
            if self._db.team_member:
                assert member.id is not None
                team_document_api.save_label_kind(
                    session.connection(), member.id, member.kind, member.label_set, member.multiple
                )
                if member in session:
                    session.expunge(member)  # (the team may not write the table itself)
            else:
                session.add(member)
                session.flush()

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
            if (
                other.id != own_id
                and not other.archived
                and other.hotkey == hotkey
                and other.kind != "document"
            ):
                raise LabelError(f"hotkey {hotkey} is already used by '{other.name}'")
