"""`annotator assign` (supervisors: who annotates which document) and `annotator progress`
(how far everyone is, the numbers of the Team view)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from annotator.domain.errors import AnnotatorError

if TYPE_CHECKING:
    from annotator.services.workspace import Workspace


def add_assign_parsers(sub: Any) -> None:
    assign = sub.add_parser(
        "assign",
        help="assign documents to annotators by rule or by hand (supervisors only)",
        description="Plan who annotates which document. A rule replaces the stored plan; a document "
        "someone already worked on stays in their queue. Reproducible: the same seed gives the same plan.",
    )
    assign.add_argument(
        "--rule",
        choices=("n", "sample", "hand"),
        help="n: every document to --n annotators; sample: --sample-percent %% of the documents to "
        "everyone (the agreement sample), the rest to --n each (default 1); hand: --documents to --annotators",
    )
    assign.add_argument("--n", type=int, default=None, help="annotators per document (default 1)")
    assign.add_argument(
        "--sample-percent", type=float, default=None, metavar="K", help="agreement sample size"
    )
    assign.add_argument("--seed", type=int, default=0, help="seed of the draw (default 0)")
    assign.add_argument(
        "--annotators", metavar="A,B,...", help="who (default: everyone with the annotator role)"
    )
    assign.add_argument(
        "--documents", metavar="ID,ID,...", help="--rule hand: the documents' ids (as exported)"
    )
    assign.add_argument("--dry-run", action="store_true", help="print the plan; store nothing")
    assign.add_argument(
        "--clear", action="store_true", help="drop the plan (documents someone worked on stay)"
    )
    assign.add_argument(
        "--as",
        dest="acting",
        metavar="SUPERVISOR_NAME",
        help="who assigns (SQLite: must be a supervisor; PostgreSQL: the database role decides)",
    )
    progress = sub.add_parser(
        "progress", help="per annotator: assigned, in progress, done; spans per hour; labels"
    )
    progress.add_argument("--json", action="store_true", help="print one JSON object")
    progress.add_argument(
        "--days", type=int, default=7, help="spans per hour over this many days (default 7)"
    )
    progress.add_argument("--no-agreement", action="store_true", help="leave out agreement on the sample")


def _names(value: str | None) -> list[str]:
    return [x.strip() for x in (value or "").split(",") if x.strip()]


def run_assign(workspace: Workspace, args: argparse.Namespace) -> int:
    service = workspace.assignments
    if args.clear:
        if args.rule:
            raise AnnotatorError("--clear drops the plan; give it without --rule")
        removed, kept = service.clear(by=args.acting, dry_run=args.dry_run)
        verb = "would drop" if args.dry_run else "dropped"
        print(f"{verb} {removed:,} assignments; kept {kept:,} on documents someone already worked on")
        return 0
    if args.rule is None:
        raise AnnotatorError("say how to assign: --rule n, --rule sample or --rule hand (or --clear)")
    annotators = _names(args.annotators)
    if args.rule == "hand":
        uids = _names(args.documents)
        if not uids or not annotators:
            raise AnnotatorError("--rule hand needs --documents ID,... and --annotators NAME,...")
        ids = service.document_ids(uids)
        summary = service.assign_by_hand(
            by=args.acting, documents=ids, annotators=annotators, dry_run=args.dry_run
        )
    else:
        if args.documents:
            raise AnnotatorError("--documents goes with --rule hand")
        sample = args.sample_percent if args.sample_percent is not None else 0.0
        if args.rule == "sample" and args.sample_percent is None:
            raise AnnotatorError("--rule sample needs --sample-percent K (e.g. 10)")
        if args.rule == "n" and args.sample_percent:
            raise AnnotatorError("--sample-percent goes with --rule sample")
        summary = service.assign_by_rule(
            by=args.acting,
            annotators=annotators or None,
            n=args.n if args.n is not None else 1,
            sample_percent=sample,
            seed=args.seed,
            dry_run=args.dry_run,
        )
    print("\n".join(summary.lines()))
    return 0


def run_progress(workspace: Workspace, args: argparse.Namespace) -> int:
    progress = workspace.progress.team_progress(days=args.days)
    agreement = None if args.no_agreement else workspace.sample_agreement.sample_agreement()
    if args.json:
        import orjson

        out = progress.to_json()
        out["agreement_sample"] = agreement.to_json() if agreement else None
        sys.stdout.buffer.write(orjson.dumps(out, option=orjson.OPT_INDENT_2) + b"\n")
        return 0
    print(
        f"{'annotator':<24} {'assigned':>9} {'not started':>12} {'in progress':>12} {'done':>7} {'spans':>9}"
    )
    for p in progress.people:
        print(
            f"{p.name:<24} {p.assigned:>9,} {p.not_started:>12,} {p.in_progress:>12,} {p.done:>7,} {p.spans:>9,}"
        )
    recent = {name: sum(line) for name, line in progress.spans_per_hour.items()}
    print(f"\nspans in the last {args.days} days: " + ", ".join(f"{n} {c:,}" for n, c in recent.items()))
    print("\nlabels per annotator:")
    for name, counts in progress.label_counts.items():
        print(
            f"  {name:<22} "
            + ", ".join(f"{label} {c:,}" for label, c in zip(progress.labels, counts, strict=True))
        )
    if agreement is not None:
        print(
            f"\nagreement sample: {agreement.documents:,} documents, {agreement.counted:,} finished by someone"
        )
        for row in agreement.alpha:
            value = "n/a" if row["alpha"] is None else f"{row['alpha']:.3f}"
            print(f"  alpha {row['label']:<22} {value}")
        print(
            "  finished: " + (", ".join(f"{n} {c:,}" for n, c in agreement.finished.items()) or "nobody yet")
        )
    return 0
