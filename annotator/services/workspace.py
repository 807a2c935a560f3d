"""A workspace: one open database and the services over it. The UI and CLI hold only this."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.paths import resolve_database, resource_path
from annotator.store.database import Database

if TYPE_CHECKING:
    from annotator.services.annotations import AnnotationService
    from annotator.services.annotators import AnnotatorService
    from annotator.services.desk_reads import DeskReads
    from annotator.services.document_data import DocumentDataService
    from annotator.services.document_pages import DocumentPages
    from annotator.services.documents import DocumentService
    from annotator.services.export_service import ExportService
    from annotator.services.guidelines import GuidelineService
    from annotator.services.importing import ImportService
    from annotator.services.labels import LabelService
    from annotator.services.review import ReviewService
    from annotator.services.suggestions.service import SuggestionService
    from annotator.services.team.assignments import AssignmentService
    from annotator.services.team.progress import ProgressService
    from annotator.services.team.sample_agreement import SampleAgreementService

SAMPLE_ARTICLE = "sample-article.txt"


class Workspace:
    """The services are made (and their modules imported) on first use: an export from the command
    line needs neither the ORM nor pydantic (sqlmodel), which cost ~0.2 s of start-up."""

    def __init__(self, db: Database, *, lazy: bool = False) -> None:
        """lazy: make each service on first use (the command line); else all now, as the GUI
        expects them ready before its worker threads start."""
        self.db = db
        if not lazy:
            self.prepare_services()

    def prepare_services(self) -> None:
        """Make every service now (importing the ORM): the GUI does it once its window is up."""
        for name in (
            "labels",
            "annotators",
            "documents",
            "annotations",
            "document_data",
            "guidelines",
            "importer",
            "exporter",
            "suggestions",
        ):
            getattr(self, name)

    @cached_property
    def labels(self) -> LabelService:
        from annotator.services.labels import LabelService

        return LabelService(self.db)

    @cached_property
    def annotators(self) -> AnnotatorService:
        from annotator.services.annotators import AnnotatorService

        return AnnotatorService(self.db)

    @cached_property
    def documents(self) -> DocumentService:
        from annotator.services.documents import DocumentService

        return DocumentService(self.db)

    @cached_property
    def document_data(self) -> DocumentDataService:
        from annotator.services.document_data import DocumentDataService

        return DocumentDataService(self.db)

    @cached_property
    def guidelines(self) -> GuidelineService:
        from annotator.services.guidelines import GuidelineService

        return GuidelineService(self.db)

    @cached_property
    def reads(self) -> DeskReads:
        """Reads for the first window, without the ORM (services/desk_reads.py)."""
        from annotator.services.desk_reads import DeskReads

        return DeskReads(self.db)

    @cached_property
    def document_pages(self) -> DocumentPages:
        from annotator.services.document_pages import DocumentPages

        return DocumentPages(self.db)

    @cached_property
    def annotations(self) -> AnnotationService:
        from annotator.services.annotations import AnnotationService

        return AnnotationService(self.db)

    @cached_property
    def importer(self) -> ImportService:
        from annotator.services.importing import ImportService

        return ImportService(self.db)

    @cached_property
    def exporter(self) -> ExportService:
        from annotator.services.export_service import ExportService

        return ExportService(self.db)

    @cached_property
    def review(self) -> ReviewService:
        # Imported on first use: agreement needs numpy, which import and export do not.
        from annotator.services.review import ReviewService

        return ReviewService(self.db)

    @cached_property
    def suggestions(self) -> SuggestionService:
        from annotator.services.suggestions.service import SuggestionService

        return SuggestionService(self.db)  # (its AnnotationService made on first accept)

    @cached_property
    def assignments(self) -> AssignmentService:
        from annotator.services.team.assignments import AssignmentService

        return AssignmentService(self.db)

    @cached_property
    def progress(self) -> ProgressService:
        from annotator.services.team.progress import ProgressService

        return ProgressService(self.db)

    @cached_property
    def sample_agreement(self) -> SampleAgreementService:
        # Imported on first use: agreement needs numpy.
        from annotator.services.team.sample_agreement import SampleAgreementService

        return SampleAgreementService(self.db)

    @classmethod
    def open(cls, target: str | None = None, *, lazy: bool = False) -> Workspace:
        """Open (creating and migrating as needed) the database --db / ANNOTATOR_DB / default names."""
        return cls(Database.open(resolve_database(target)), lazy=lazy)

    @property
    def location(self) -> str:
        return self.db.location

    @property
    def reopen_target(self) -> str:
        return self.db.reopen_target

    @property
    def is_sqlite(self) -> bool:
        return self.db.is_sqlite

    @property
    def database_user(self) -> str | None:
        """The server role this workspace connects as (PostgreSQL); on a team database the
        annotator's name is that role's name. None for SQLite."""
        if self.db.is_sqlite:
            return None
        return self.annotators.current_database_user()

    @property
    def warnings(self) -> list[str]:
        """Things about this database a person should know (e.g. a SQLite file on a network share)."""
        return list(self.db.warnings)

    def backup(self, target: Path) -> None:
        self.db.backup(target)

    def ensure_sample(self) -> None:
        """First run: an empty database gets the sample article, so there is something to annotate."""
        if self.reads.document_count() == 0:
            result = self.importer.import_paths([resource_path(SAMPLE_ARTICLE)])
            if not result.ok:
                raise RuntimeError(result.files[0].error)

    def close(self) -> None:
        self.db.close()
