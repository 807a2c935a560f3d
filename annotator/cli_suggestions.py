"""`annotator import --as-suggestions --source NAME FILE...`: model output stored as suggestions."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.services.workspace import Workspace


def add_suggestion_options(imp: Any) -> None:
    imp.add_argument(
        "--as-suggestions",
        action="store_true",
        help="store the files' spans as suggestions (with their scores), not as annotations; "
        "documents must already be in the database",
    )
    imp.add_argument("--source", metavar="NAME", help="with --as-suggestions: the model's name (required)")
    imp.add_argument(
        "--source-version", metavar="V", default="", help="with --as-suggestions: the model's version"
    )


def wants_suggestions(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "as_suggestions", False))


def run_import_suggestions(workspace: Workspace, args: argparse.Namespace) -> int:
    from annotator.services.suggestions.importing import SuggestionImporter

    if not args.source:
        print("annotator: import --as-suggestions needs --source NAME (the model's name)", file=sys.stderr)
        return 2
    if args.annotator or args.create_labels:
        print("annotator: --annotator and --create-labels do not apply to suggestions", file=sys.stderr)
        return 2
    importer = SuggestionImporter(workspace.db)
    ok = True
    for path in args.files:
        report = importer.import_path(
            path, args.source, fmt=args.format, version=args.source_version, offsets=args.offsets
        )
        print(report.summary(), file=sys.stdout if report.ok else sys.stderr)
        ok = ok and report.ok
    return 0 if ok else 1
