"""Which stored document each imported record is, decided in Python.

The stored documents' ids, uids and text hashes are read once when an import starts, and new
documents get their ids here, so a batch is resolved while the connection is still busy inserting
the previous one (waiting for it cost 14 ms a batch, a tenth of a 300,000-span import).

Merge semantics: a document already stored (same id and same text, or same text when the file
gives no id) is not stored twice. A known id with a different text is refused: the file's offsets
would point into another text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from annotator.domain.records import FormatError

if TYPE_CHECKING:
    from annotator.services.importing import ParsedRecord


class NewDocument(NamedTuple):
    id: int
    uid: str
    title: str
    text: str
    sha256: str
    meta: dict[str, Any]
    position: int


class DocumentResolver:
    def __init__(
        self,
        path: str,
        stored: Iterable[tuple[str, int, str]],
        last_position: int,
        new_id: Callable[[], int],
        *,
        refuse_nul: bool,
    ) -> None:
        """stored: (uid, id, sha256) of every stored document, in id order; new_id: the id for the
        next new document; refuse_nul: PostgreSQL cannot store NUL characters in text."""
        self.path = path
        self._by_uid: dict[str, tuple[int, str]] = {}
        self._by_sha: dict[str, int] = {}
        for uid, doc_id, sha in stored:
            self._by_uid[uid] = (doc_id, sha)
            self._by_sha.setdefault(sha, doc_id)
        self._position = last_position
        self._new_id = new_id
        self._refuse_nul = refuse_nul
        # Documents this file added: a later record with the same id (or, without an id, the same
        # text) is the same new document, not a merge into a stored one.
        self.added_by_uid: dict[str, tuple[int, str]] = {}
        self._added_by_sha: dict[str, int] = {}
        self.merged_ids: set[int] = set()

    def resolve(self, batch: list[ParsedRecord], shas: list[str]) -> tuple[list[int], list[NewDocument]]:
        """Each record's document id, and the documents to insert (those new to the database)."""
        ids: list[int] = []
        new: list[NewDocument] = []
        for parsed, sha in zip(batch, shas, strict=True):
            record = parsed.record
            uid = record.uid
            if uid is not None and uid in self.added_by_uid:
                doc_id, added_sha = self.added_by_uid[uid]
                if added_sha != sha:
                    raise FormatError(
                        self.path, parsed.line, f"document '{uid}' appears twice with different texts", "id"
                    )
            elif uid is None and sha in self._added_by_sha:
                doc_id = self._added_by_sha[sha]
            elif uid is not None and uid in self._by_uid:
                doc_id, stored_sha = self._by_uid[uid]
                if stored_sha != sha:
                    raise FormatError(
                        self.path,
                        parsed.line,
                        f"document '{uid}' is already stored with a different text; its offsets "
                        "would point into another text, so nothing of this file was imported",
                        "text",
                    )
                self.merged_ids.add(doc_id)
            elif uid is None and sha in self._by_sha:
                doc_id = self._by_sha[sha]
                self.merged_ids.add(doc_id)
            else:
                if self._refuse_nul:
                    for name, value in (("text", record.text), ("id", uid), ("title", record.title)):
                        if value is not None and "\x00" in value:
                            raise FormatError(
                                self.path,
                                parsed.line,
                                "contains a NUL character, which PostgreSQL cannot store",
                                name,
                            )
                if uid is None:
                    uid = self._new_uid(record.meta.get("source"), sha)
                    self._added_by_sha[sha] = doc_id = self._new_id()
                else:
                    doc_id = self._new_id()
                self._position += 1
                self.added_by_uid[uid] = (doc_id, sha)
                new.append(
                    NewDocument(
                        doc_id, uid, record.title or uid, record.text, sha, record.meta, self._position
                    )
                )
            ids.append(doc_id)
        return ids, new

    def _taken(self, uid: str) -> bool:
        return uid in self._by_uid or uid in self.added_by_uid

    def _new_uid(self, source: Any, sha: str) -> str:
        if isinstance(source, str) and source and not self._taken(source):
            return source
        base = f"{source}-{sha[:8]}" if isinstance(source, str) and source else f"doc-{sha[:12]}"
        uid, n = base, 1
        while self._taken(uid):
            n += 1
            uid = f"{base}-{n}"
        return uid
