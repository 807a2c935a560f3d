"""A minimal Label Studio ML backend, run as a real process by the tests: the protocol, exactly.

    python -m tests.services.suggestions.ml_backend_server --keyword tariffs=leverage [--mode MODE]

prints ``PORT <n>`` once it listens on 127.0.0.1. ``GET /health`` answers ``{"status": "UP", ...}``;
``POST /predict`` reads ``tasks`` and ``label_config`` (answering 400 when they are malformed or a
keyword's label is not in the config) and returns, per task, a prediction whose regions are the keyword's
case-insensitive occurrences, with offsets counted as Label Studio counts them (UTF-16 code units, like
JavaScript). ``--mode`` makes it misbehave in one way, for the error tests.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

MODES = (
    "ok",
    "predictions-key",
    "bare-list",
    "codepoints",
    "no-text",
    "not-json",
    "http-500",
    "slow",
    "unknown-label",
    "out-of-range",
    "too-few",
    "bad-score",
    "down",
)


def utf16(text: str, i: int) -> int:
    return len(text[:i].encode("utf-16-le")) // 2


class Handler(BaseHTTPRequestHandler):
    keywords: ClassVar[dict[str, str]] = {}
    mode = "ok"

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, code: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, code: int, value: object) -> None:
        self._send(code, json.dumps(value).encode("utf-8"))

    def do_GET(self) -> None:
        if self.path != "/health":
            return self._json(404, {"error": "not found"})
        status = "DOWN" if self.mode == "down" else "UP"
        self._json(200, {"status": status, "model_class": "KeywordModel", "model_version": "kw-1"})

    def do_POST(self) -> None:
        if self.path != "/predict":
            return self._json(404, {"error": "not found"})
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        tasks, config = body.get("tasks"), body.get("label_config")
        if not isinstance(tasks, list) or not isinstance(config, str):
            return self._json(400, {"error": "tasks and label_config are required"})
        root = ET.fromstring(config)
        labels_tag = root.find("Labels")
        text_tag = root.find("Text")
        if labels_tag is None or text_tag is None or labels_tag.get("toName") != text_tag.get("name"):
            return self._json(400, {"error": "label_config needs <Labels toName=X> over <Text name=X>"})
        labels = {lab.get("value") for lab in labels_tag.findall("Label")}
        for label in self.keywords.values():
            if label not in labels and self.mode != "unknown-label":
                return self._json(400, {"error": f"label {label!r} not in label_config"})
        if self.mode == "slow":
            time.sleep(5)
        if self.mode == "http-500":
            return self._json(500, {"error": "model crashed: CUDA out of memory"})
        if self.mode == "not-json":
            return self._send(200, b"<html>Internal proxy error</html>", "text/html")
        results = [self._predict(task, labels_tag.get("name"), text_tag.get("name")) for task in tasks]
        if self.mode == "too-few":
            results = results[:-1]
        if self.mode == "bare-list":
            return self._json(200, results)
        key = "predictions" if self.mode == "predictions-key" else "results"
        self._json(200, {key: results})

    def _predict(self, task: dict, from_name: str, to_name: str) -> dict:
        text = task["data"]["text"]
        regions = []
        for keyword, label in self.keywords.items():
            i = text.lower().find(keyword.lower())
            while i >= 0:
                start, end = i, i + len(keyword)
                if self.mode != "codepoints":
                    start, end = utf16(text, start), utf16(text, end)
                if self.mode == "out-of-range":
                    start, end = start + 10_000, end + 10_000
                value = {
                    "start": start,
                    "end": end,
                    "labels": [label + ("?" if self.mode == "unknown-label" else "")],
                }
                if self.mode != "no-text":
                    value["text"] = text[i : i + len(keyword)]
                regions.append(
                    {
                        "id": f"r{len(regions)}",
                        "from_name": from_name,
                        "to_name": to_name,
                        "type": "labels",
                        "value": value,
                        "score": 1.7 if self.mode == "bad-score" else 0.8,
                    }
                )
                i = text.lower().find(keyword.lower(), i + 1)
        regions.append(
            {"from_name": "sentiment", "to_name": to_name, "type": "choices", "value": {"choices": ["x"]}}
        )
        return {"result": regions, "score": 0.5, "model_version": "kw-1"}


def start(*keywords: str, mode: str = "ok") -> tuple[subprocess.Popen, str]:
    """Runs this server in a child process; (the process, its URL)."""
    root = Path(__file__).resolve().parents[3]
    args = [sys.executable, "-m", "tests.services.suggestions.ml_backend_server", "--mode", mode]
    for k in keywords:
        args += ["--keyword", k]
    proc = subprocess.Popen(args, cwd=root, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline() if proc.stdout else ""
    if not line.startswith("PORT "):
        proc.kill()
        raise RuntimeError(f"the test ML backend did not start: {line!r}")
    return proc, f"http://127.0.0.1:{int(line.split()[1])}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keyword", action="append", default=[], help="WORD=LABEL")
    parser.add_argument("--mode", choices=MODES, default="ok")
    args = parser.parse_args()
    Handler.keywords = dict(k.split("=", 1) for k in args.keyword)
    Handler.mode = args.mode
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    sys.exit(0)


if __name__ == "__main__":
    main()
