"""Agreement speed: the CLI against the straightforward reference script, and that they agree.

    python benchmarks/bench_agreement.py [--documents 600] [--repeat 5] [--seed 1]
                                         [--no-reference] [--baseline DIR]

Writes DOCUMENTS articles of a few KB, three annotators each (most documents done), as native JSONL
into a temporary directory; imports it with ``python -m annotator --db TMP/bench.db import FILE``;
then times, as fresh processes (start-up included), ``benchmarks/agreement_reference.py FILE`` and
``python -m annotator --db TMP/bench.db agreement --json``, and prints the medians, their ratio and
whether every figure agrees to 1e-6. It also times an in-process ``compute_agreement`` on the parsed
file, which is the figure to read when the CLI is not available.

Every CLI run's time and peak resident memory are measured by a small launcher process (``os.wait4``), and the load average is printed
before and after. ``--baseline DIR`` also runs ``python -m annotator`` from DIR, a checkout of another
version (``git worktree add /tmp/before <commit>`` or ``git archive <commit> | tar -x -C DIR``),
alternating with this tree's runs on the same database, and prints both medians, their ratio and
whether every figure agrees to 1e-9. ``--no-reference`` skips the reference script (minutes on
10,000 documents). The issue 16 goal: 3 annotators x 10,000 documents in <= 5 s and <= 150 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale_measure import run_once  # noqa: E402

from annotator.domain.agreement import AgreementDocument, compute_agreement  # noqa: E402
from annotator.domain.records import SpanRecord  # noqa: E402

ANNOTATORS = ["alice", "bob", "carol"]
LABELS = ["strategic messaging", "economic outcome", "leverage", "framing"]
TOLERANCE = 1e-6
_VOCABULARY = (
    "the president visit talks sanctions economy growth oil gas pipeline minister said would could "
    "Moscow Beijing Washington leverage deal trade market inflation rouble yuan dollar summit "
    "strategic partnership pressure message audience framing narrative — 北京 😀 café naïve"
)
_WORDS = _VOCABULARY.split()


def article(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(4, 9)):
        sentences = []
        for _ in range(rng.randint(3, 7)):
            words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 22))]
            sentences.append(" ".join(words).capitalize() + ".")
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs) + "\n" * rng.randint(0, 6)


def document(rng: random.Random, number: int) -> dict[str, Any]:
    text = article(rng)
    n = len(text)
    truth = []
    for _ in range(rng.randint(8, 30)):
        start = rng.randrange(n - 1)
        truth.append((start, min(n, start + rng.randint(5, 120)), rng.choice(LABELS)))
    spans: dict[tuple[int, int, str, str], None] = {}
    status = {}
    for annotator in ANNOTATORS:
        r = rng.random()
        status[annotator] = "done" if r < 0.85 else "in_progress" if r < 0.95 else "todo"
        if status[annotator] == "todo":
            continue
        for start, end, label in truth:
            p = rng.random()
            if p < 0.12:
                continue  # missed
            if p < 0.2:
                label = rng.choice(LABELS)  # relabelled
            elif p < 0.45:
                start = min(n - 1, max(0, start + rng.randint(-6, 6)))  # boundaries differ
                end = min(n, max(start + 1, end + rng.randint(-6, 6)))
            spans[(start, end, label, annotator)] = None
        for _ in range(rng.randint(0, 3)):  # spurious
            start = rng.randrange(n - 1)
            spans[(start, min(n, start + rng.randint(3, 60)), rng.choice(LABELS), annotator)] = None
    return {
        "id": f"article-{number:04d}",
        "title": f"Article {number}",
        "text": text,
        "meta": {},
        "spans": [
            {"start": s, "end": e, "text": text[s:e], "label": lab, "annotator": a, "note": None}
            for s, e, lab, a in spans
        ],
        "status": status,
    }


def timed(command: list[str], repeat: int, cwd: Path = ROOT) -> tuple[float, str, float]:
    """Median wall time of ``repeat`` fresh runs, the output of the last one, the largest peak RSS."""
    times, peaks, output = [], [], ""
    for _ in range(repeat):
        elapsed, peak, output = run_once(command, cwd)
        times.append(elapsed)
        peaks.append(peak)
    return statistics.median(times), output, max(peaks)


def in_process(path: Path, repeat: int) -> tuple[float, dict[str, Any]]:
    """Median time of parse + ``compute_agreement`` inside this process."""
    times, result = [], {}
    for _ in range(repeat):
        start = time.perf_counter()
        documents = []
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                documents.append(
                    AgreementDocument(
                        record["id"],
                        record["text"],
                        frozenset(name for name, state in record["status"].items() if state == "done"),
                        tuple(
                            SpanRecord(s["start"], s["end"], s["label"], s["annotator"])
                            for s in record["spans"]
                        ),
                    )
                )
        result = compute_agreement(documents, ANNOTATORS, LABELS)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def differences(got: dict[str, Any], want: dict[str, Any], tolerance: float = TOLERANCE) -> list[str]:
    """Every figure that differs, keyed by label and unordered pair (the CLI may order them otherwise)."""
    problems = []
    if got["documents"] != want["documents"]:
        problems.append(f"documents {got['documents']} != {want['documents']}")
    if set(got["annotators"]) != set(want["annotators"]) or set(got["labels"]) != set(want["labels"]):
        problems.append("different annotators or labels")

    def close(x: float | None, y: float | None) -> bool:
        return (x is None and y is None) or (x is not None and y is not None and abs(x - y) <= tolerance)

    want_alpha = {row["label"]: row for row in want["alpha"]}
    for row in got["alpha"]:
        other = want_alpha.get(row["label"])
        if other is None or not close(row["alpha"], other["alpha"]) or row["units"] != other["units"]:
            problems.append(f"alpha {row['label']}: {row} vs {other}")
    if not close(got["overall_alpha"], want["overall_alpha"]):
        problems.append(f"overall alpha {got['overall_alpha']} vs {want['overall_alpha']}")

    def keyed(rows: list[dict[str, Any]]) -> dict[tuple[str, str, str], dict[str, Any]]:
        out = {}
        for row in rows:
            if row["a"] > row["b"]:  # put the pair in name order; the span counts swap with it
                row = {
                    **row,
                    "a": row["b"],
                    "b": row["a"],
                    "a_spans": row["b_spans"],
                    "b_spans": row["a_spans"],
                }
            out[(row["a"], row["b"], row["label"])] = row
        return out

    want_pairs = keyed(want["pairs"])
    for key, row in keyed(got["pairs"]).items():
        other = want_pairs.get(key)
        if other is None:
            problems.append(f"pair {key} missing from the reference")
            continue
        for field in ("kappa", "f1_exact", "f1_overlap"):
            if not close(row[field], other[field]):
                problems.append(f"{key} {field}: {row[field]} vs {other[field]}")
        for field in ("documents", "a_spans", "b_spans", "matched_exact", "matched_overlap"):
            if row[field] != other[field]:
                problems.append(f"{key} {field}: {row[field]} vs {other[field]}")
    if len(got["pairs"]) != len(want["pairs"]):
        problems.append(f"{len(got['pairs'])} pair rows vs {len(want['pairs'])}")
    return problems


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def report(what: str, problems: list[str], tolerance: float) -> None:
    print(f"  {what}: {f'agree to {tolerance:g}' if not problems else 'DIFFER'}")
    for problem in problems[:20]:
        print(f"    {problem}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-reference", action="store_true", help="skip the reference script")
    parser.add_argument("--baseline", type=Path, help="a checkout of another version to time back to back")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-agreement-") as tmp:
        data = Path(tmp) / "corpus.jsonl"
        rng = random.Random(args.seed)
        records = [document(rng, k) for k in range(args.documents)]
        with data.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        n_chars = sum(len(r["text"]) for r in records)
        n_spans = sum(len(r["spans"]) for r in records)
        print(
            f"corpus: {args.documents} documents, {n_chars / 1e6:.2f} M characters "
            f"({n_chars / args.documents / 1e3:.1f} K per document), {n_spans} spans, "
            f"{data.stat().st_size / 1e6:.1f} MB; {load()}"
        )
        del records
        failed = False

        python = sys.executable
        reference: dict[str, Any] | None = None
        if not args.no_reference:
            reference_time, reference_out, _ = timed(
                [python, "benchmarks/agreement_reference.py", str(data)], args.repeat
            )
            reference = json.loads(reference_out)
            print(f"reference script (krippendorff + scikit-learn + scipy): median {reference_time:.3f} s")

        inproc_time, inproc = in_process(data, args.repeat)
        print(f"in-process parse + compute_agreement:                  median {inproc_time:.3f} s")
        if reference is not None:
            problems = differences(inproc, reference)
            report("in-process vs reference", problems, TOLERANCE)
            failed |= bool(problems)

        database = Path(tmp) / "bench.db"
        cli = [python, "-m", "annotator", "--db", str(database)]
        try:
            start = time.perf_counter()
            subprocess.run([*cli, "import", str(data)], capture_output=True, text=True, cwd=ROOT, check=True)
            print(
                f"CLI import (once):                                     {time.perf_counter() - start:.3f} s"
            )
            command = [*cli, "agreement", "--json"]
            times, peaks, base_times, base_peaks = [], [], [], []
            cli_out = base_out = ""
            for _ in range(args.repeat):  # alternating, so both see the same load
                if args.baseline is not None:
                    elapsed, peak, base_out = run_once(command, args.baseline)
                    base_times.append(elapsed)
                    base_peaks.append(peak)
                elapsed, peak, cli_out = run_once(command)
                times.append(elapsed)
                peaks.append(peak)
        except (subprocess.CalledProcessError, RuntimeError) as error:
            detail = getattr(error, "stderr", None) or str(error)
            print(f"CLI not available ({detail.strip().splitlines()[-1] if detail.strip() else error})")
            return 1 if failed else 0
        cli_result = json.loads(cli_out)
        cli_time = statistics.median(times)
        print(
            f"CLI agreement --json:                                  median {cli_time:.3f} s, "
            f"peak {max(peaks):.0f} MB (runs: {', '.join(f'{t:.2f}' for t in times)} s)"
        )
        if args.baseline is not None:
            base_time = statistics.median(base_times)
            print(
                f"baseline CLI ({args.baseline}): median {base_time:.3f} s, peak {max(base_peaks):.0f} MB "
                f"(runs: {', '.join(f'{t:.2f}' for t in base_times)} s); baseline / this: "
                f"{base_time / cli_time:.1f}x"
            )
            problems = differences(cli_result, json.loads(base_out), 1e-9)
            report("CLI vs baseline CLI", problems, 1e-9)
            failed |= bool(problems)
        problems = differences(cli_result, inproc, 1e-9)
        report("CLI vs in-process", problems, 1e-9)
        failed |= bool(problems)
        if reference is not None:
            print(f"ratio reference / CLI: {reference_time / cli_time:.1f}x")
            problems = differences(cli_result, reference)
            report("CLI vs reference", problems, TOLERANCE)
            failed |= bool(problems)
        print(load())
        return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
