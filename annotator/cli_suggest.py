"""`annotator models check URL`: is a Label Studio ML backend there, and does it answer for our labels?

Asks ``GET /health``, then sends one short trial task to ``POST /predict`` with this database's labels and
reads the answer as the app would (services/suggestions/ml_backend.py). Prints what it found; exit code 1
with the reason when the backend cannot be used.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.services.workspace import Workspace

TRIAL_TEXT = "Beijing threatened new tariffs as exports fell 12 percent; officials spoke of a new cold war."


def add_models_parser(sub: Any) -> None:
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
