"""The front door: `annotator` opens the GUI; subcommands import, export and measure without Qt."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from annotator import package_version
from annotator.cli_assign import add_assign_parsers, run_assign, run_progress
from annotator.cli_labels import add_labels_parser, run_labels
from annotator.cli_progress import ProgressLine
from annotator.cli_suggest import add_models_parser, run_models, run_suggest
from annotator.cli_suggestions import add_suggestion_options, run_import_suggestions, wants_suggestions
from annotator.cli_team import add_team_parser, run_team
from annotator.domain.errors import AnnotatorError

if TYPE_CHECKING:
    from annotator.services.workspace import Workspace


class VersionAction(argparse.Action):
    """--version, with the version looked up only when asked for."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)  # type: ignore[arg-type]

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        print(f"annotator {package_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator", description="Annotate text spans with labels; export training data."
    )
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="SQLite file or database URL (default: ANNOTATOR_DB, "
        "else annotator.db in the per-user data folder)",
    )
    parser.add_argument("--version", action=VersionAction, help="print the version and exit")
    parser.add_argument("--self-test", action="store_true", help="run the GUI self-test offscreen and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    imp = sub.add_parser("import", help="import .txt .md .csv .jsonl files (all-or-nothing per file)")
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument(
        "--format", default="auto", help="auto (default), jsonl, doccano, prodigy, labelstudio, txt, md, csv"
    )
    imp.add_argument("--annotator", metavar="NAME", help="annotator for files whose spans name none")
    imp.add_argument(
        "--offsets",
        choices=("codepoints", "utf16"),
        help="how a doccano or Label Studio file counts offsets (default: what the tool uses: "
        "doccano utf16, Label Studio codepoints)",
    )
    imp.add_argument(
        "--create-labels", action="store_true", help="add labels the file names and the database lacks"
    )
    add_suggestion_options(imp)

    exp = sub.add_parser("export", help="export documents and spans as training data")
    exp.add_argument("--format", required=True, help="jsonl, doccano, prodigy, conll, brat, labelstudio")
    exp.add_argument(
        "--offsets",
        choices=("codepoints", "utf16"),
        help="how doccano and Label Studio offsets count (default: what the tool uses: "
        "doccano utf16, Label Studio codepoints)",
    )
    exp.add_argument(
        "-o", "--output", metavar="OUT", help="file (or folder for brat); default standard output"
    )
    exp.add_argument(
        "--annotator", action="append", default=[], metavar="NAME", help="only this annotator's spans"
    )
    exp.add_argument("--gold", action="store_true", help="only the adjudicated gold layer")
    exp.add_argument("--done-only", action="store_true", help="only documents the annotator marked done")
    exp.add_argument(
        "--label", action="append", default=[], metavar="NAME", help="only spans with this label"
    )

    agr = sub.add_parser("agreement", help="inter-annotator agreement on finished documents")
    agr.add_argument("--json", action="store_true", help="print the JSON object instead of a table")
    agr.add_argument("--label", action="append", default=[], metavar="NAME")
    agr.add_argument("--annotator", action="append", default=[], metavar="NAME")
    agr.add_argument("--per-document", action="store_true", help="add a row per document")
    add_labels_parser(sub)
    add_team_parser(sub)
    add_models_parser(sub)
    add_assign_parsers(sub)

    dele = sub.add_parser("delete-document", help="delete a document and every span on it (owner only)")
    dele.add_argument("uid", metavar="ID", help="the document's id (as exported)")
    return parser


def run() -> None:
    """The console entry point. A command (not the GUI) ends with an immediate exit: Python's own
    teardown of SQLAlchemy's and pydantic's modules took 0.09 s after every command, and by then
    the command has closed the database and the output is flushed, so it had nothing left to do."""
    args = parse(sys.argv[1:])
    code = dispatch(args)
    if args.command is not None and not args.self_test:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    raise SystemExit(code)


def main(argv: Sequence[str] | None = None) -> int:
    return dispatch(parse(sys.argv[1:] if argv is None else argv))


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """Our arguments; Qt's own options (-platform xcb, -style Fusion...) are kept for the GUI."""
    from annotator.qt_options import split_qt_options

    parser = build_parser()
    ours, qt = split_qt_options(argv)
    args = parser.parse_args(ours)
    if qt and args.command is not None:
        parser.error(f"the Qt options {' '.join(qt)} apply only to the window (without a command)")
    args.qt_options = qt
    return args


def dispatch(args: argparse.Namespace) -> int:
    if args.self_test:
        from annotator.self_test import run_self_test

        return run_self_test()
    if args.command is None:
        from annotator.startup_preload import start_preloading

        start_preloading()
        from annotator.app import run_gui

        return run_gui(args.db, getattr(args, "qt_options", []))
    try:
        return COMMANDS[args.command](args)
    except AnnotatorError as exc:
        print(f"annotator: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("annotator: interrupted; the current file was not imported", file=sys.stderr)
        return 130
    except BrokenPipeError:
        from annotator.cli_crash import output_closed

        return output_closed()
    except Exception as exc:  # the last guard: a clear line and exit code 1, never a traceback
        from annotator.cli_crash import report_crash  # (imported here: tempfile + traceback cost 18 ms)

        return report_crash(exc)


@contextmanager
def _open(args: argparse.Namespace) -> Iterator[Workspace]:
    from annotator.services.workspace import Workspace

    workspace = Workspace.open(args.db, lazy=True)  # (only the services this command uses)
    try:
        for warning in workspace.warnings:
            print(f"annotator: warning: {warning}", file=sys.stderr)
        yield workspace
    finally:
        workspace.close()


def cmd_import(args: argparse.Namespace) -> int:
    if wants_suggestions(args):
        with _open(args) as workspace:
            return run_import_suggestions(workspace, args)
    progress = ProgressLine("importing")
    with _open(args) as workspace:
        result = workspace.importer.import_paths(
            args.files,
            fmt=args.format,
            annotator=args.annotator,
            progress=progress,
            offsets=args.offsets,
            create_labels=args.create_labels,
        )
    progress.finish()
    for report in result.files:
        print(report.summary(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if result.ok else 1


def cmd_export(args: argparse.Namespace) -> int:
    from annotator.services.exporting import ExportFilter

    flt = ExportFilter(args.annotator, args.gold, args.done_only, args.label)
    progress = ProgressLine("exporting")
    out = Path(args.output) if args.output else None
    with _open(args) as workspace:
        if out is None:
            summary = workspace.exporter.export(
                args.format, flt, stream=sys.stdout.buffer, progress=progress, offsets=args.offsets
            )
            sys.stdout.flush()
        else:
            summary = workspace.exporter.export(
                args.format, flt, path=out, progress=progress, offsets=args.offsets
            )
    progress.finish()
    for warning in summary.warnings:
        print(f"annotator: warning: {warning}", file=sys.stderr)
    if out is not None:
        documents = f"{summary.documents} document{'' if summary.documents == 1 else 's'}"
        spans = f"{summary.spans} span{'' if summary.spans == 1 else 's'}"
        print(f"wrote {documents}, {spans} to {out}", file=sys.stderr)
        for extra in summary.extra_files:
            print(f"wrote {extra}", file=sys.stderr)
    return 0


def cmd_agreement(args: argparse.Namespace) -> int:
    import orjson

    from annotator.domain.agreement import format_agreement_table

    with _open(args) as workspace:
        result = workspace.review.agreement(
            annotators=args.annotator, labels=args.label, per_document=args.per_document
        )
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")
    else:
        print(format_agreement_table(result))
        from annotator.domain.agreement_documents import format_document_label_table

        if table := format_document_label_table(result["document_labels"]):
            print(table)
    return 0


def cmd_labels(args: argparse.Namespace) -> int:
    with _open(args) as workspace:
        return run_labels(workspace, args)


def cmd_suggest(args: argparse.Namespace) -> int:
    with _open(args) as workspace:
        return run_suggest(workspace, args)


def cmd_team(args: argparse.Namespace) -> int:
    with _open(args) as workspace:
        return run_team(workspace, args)


def cmd_models(args: argparse.Namespace) -> int:
    with _open(args) as workspace:
        return run_models(workspace, args)


def cmd_assign(args: argparse.Namespace) -> int:
    with _open(args) as workspace:
        return run_assign(workspace, args)


def cmd_progress(args: argparse.Namespace) -> int:
    with _open(args) as workspace:
        return run_progress(workspace, args)


def cmd_delete_document(args: argparse.Namespace) -> int:
    with _open(args) as workspace:
        print(workspace.documents.delete(args.uid).summary())
    return 0


COMMANDS = {
    "import": cmd_import,
    "suggest": cmd_suggest,
    "export": cmd_export,
    "agreement": cmd_agreement,
    "labels": cmd_labels,
    "team": cmd_team,
    "delete-document": cmd_delete_document,
    "models": cmd_models,
    "assign": cmd_assign,
    "progress": cmd_progress,
}
