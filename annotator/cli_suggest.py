"""`annotator models check URL` and `annotator suggest --backend URL`: a Label Studio ML backend.

``models check`` asks ``GET /health``, then sends one short trial task to ``POST /predict`` with this
database's labels and reads the answer as the app would (services/suggestions/ml_backend.py). Prints what
it found; exit code 1 with the reason when the backend cannot be used.

``suggest --backend URL`` asks the backend for every document (or one annotator's unfinished ones) and
stores its predictions as suggestions under the backend's name (``--source``, else its ``model_class``),
for everyone or, with ``--annotator``, for that annotator alone. A progress line on a terminal, then a
summary; a backend that is down or answers badly is refused before anything is stored for that batch.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.services.workspace import Workspace

TRIAL_TEXT = "Beijing threatened new tariffs as exports fell 12 percent; officials spoke of a new cold war."


def add_models_parser(sub: Any) -> None:
    """`models check` and `suggest` (both about external models)."""
    models = sub.add_parser("models", help="external models: check a Label Studio ML backend")
    actions = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check", help="health check and one trial prediction with this database's labels"
    )
    check.add_argument("url", metavar="URL", help="the backend, e.g. http://localhost:9090")
    check.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS")
    check.add_argument(
        "--offsets",
        choices=["auto", "utf16", "codepoints"],
        default="auto",
        help="how the backend counts offsets",
    )
    add_suggest_parser(sub)


def run_models(workspace: Workspace, args: argparse.Namespace) -> int:
    from annotator.services.suggestions.ml_backend import Document, MLBackend

    backend = MLBackend(args.url, timeout=args.timeout, offsets=args.offsets)
    health = backend.health()
    details = ", ".join(f"{k}={v}" for k, v in health.items() if k != "status")
    print(f"{backend.url}: UP" + (f" ({details})" if details else ""))
    labels = [label.name for label in workspace.labels.list()]
    suggestions = backend.predict([Document("trial", TRIAL_TEXT)], labels)["trial"]
    print(f"trial prediction with {len(labels)} labels: {len(suggestions)} suggestion(s)")
    for s in suggestions:
        print(f"  [{s.start}, {s.end}) {s.label} {s.score:.2f} {TRIAL_TEXT[s.start : s.end]!r}")
    return 0


def add_suggest_parser(sub: Any) -> None:
    suggest = sub.add_parser(
        "suggest", help="store an external model's predictions (Label Studio ML backend) as suggestions"
    )
    suggest.add_argument("--backend", required=True, metavar="URL", help="e.g. http://localhost:9090")
    suggest.add_argument(
        "--documents",
        choices=["all", "unfinished"],
        default="all",
        help="all documents (default), or those --annotator has not marked done",
    )
    suggest.add_argument(
        "--annotator", metavar="NAME", help="store them for this annotator alone (default: for everyone)"
    )
    suggest.add_argument(
        "--source", metavar="NAME", help="the name they are stored under (default: the model's)"
    )
    suggest.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS")
    suggest.add_argument(
        "--offsets", choices=["auto", "utf16", "codepoints"], default="auto", help="how the backend counts"
    )


def run_suggest(workspace: Workspace, args: argparse.Namespace) -> int:
    from annotator.cli_progress import ProgressLine
    from annotator.services.suggestions.from_backend import BackendSuggester, backend_source
    from annotator.services.suggestions.ml_backend import MLBackend

    annotator = None
    if args.annotator:
        annotator = workspace.annotators.find(args.annotator)
        if annotator is None:
            names = ", ".join(a.name for a in workspace.annotators.list()) or "none"
            print(f"annotator: no annotator named {args.annotator!r} (annotators: {names})", file=sys.stderr)
            return 2
    elif args.documents == "unfinished":
        print("annotator: --documents unfinished needs --annotator NAME (whose documents)", file=sys.stderr)
        return 2
    if annotator is None:
        ids = [d.id for d in workspace.documents.list_for(0)]
    else:
        listed = workspace.documents.list_for(annotator.id)
        ids = [d.id for d in listed if args.documents == "all" or d.status != "done"]
    if not ids:
        print("annotator: no documents to suggest for", file=sys.stderr)
        return 1
    labels = [label.name for label in workspace.labels.list()]
    backend = MLBackend(args.backend, timeout=args.timeout, offsets=args.offsets)
    source = backend_source(backend.health(), args.source)
    suggester = BackendSuggester(workspace.documents, workspace.suggestions, backend, source)
    progress = ProgressLine("suggesting")
    try:
        report = suggester.suggest(
            ids, labels, for_annotator=annotator.id if annotator else None, progress=progress
        )
    finally:
        progress.finish()
    whom = f" for {annotator.name}" if annotator else " for everyone"
    print(report.summary() + whom)
    return 0
