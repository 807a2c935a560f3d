"""Malformed import files, generated from a seed: the inputs of tests/cli/test_import_fuzz.py.

Each case is (file name, bytes, --format or None). The generator starts from valid files of every
readable format (native JSONL, doccano, Prodigy, CSV, .txt/.md) and breaks them: wrong types in every
field, huge and negative numbers, NUL bytes, lone surrogates, control characters, invalid UTF-8,
truncation, random bytes, CSV quoting faults, and readers given the wrong shape (``--format``).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import orjson

TEXT = "Putin 😀 met Xi.\r\nDeal signed in Beijing."

NATIVE = {
    "id": "doc-1",
    "title": "Visit",
    "text": TEXT,
    "meta": {"source": "wire"},
    "spans": [
        {"start": 0, "end": 5, "text": "Putin", "label": "framing", "annotator": "alice", "note": None}
    ],
    "status": {"alice": "done"},
}
DOCCANO = {"id": 7, "text": TEXT, "label": [[0, 5, "framing"], [13, 15, "leverage"]]}
PRODIGY = {
    "text": TEXT,
    "tokens": [{"text": "Putin", "start": 0, "end": 5, "id": 0, "ws": True}],
    "spans": [{"start": 0, "end": 5, "label": "framing", "token_start": 0, "token_end": 0}],
    "_annotator_id": "bob",
    "answer": "accept",
    "meta": {"id": "p-1", "title": "Visit"},
}
CSV = 'id,title,text\nc-1,First,"Hello, world"\nc-2,,"Two\nlines"\n'

# Values that replace a field (as JSON text, so that numbers beyond 64 bits, lone surrogates and
# deep nesting can be written at all).
WEIRD_JSON = [
    "null",
    "true",
    "false",
    "0",
    "-1",
    "-0",
    "1.5",
    "1e400",
    "-1e400",
    "9223372036854775808",
    "123456789012345678901234567890",
    '""',
    '" "',
    '"\\u0000"',
    '"\\ud800"',
    '"\\u001b]0;pwned\\u0007"',
    '"\\u202eevil"',
    '"' + "x" * 20_000 + '"',
    "[]",
    "{}",
    "[[]]",
    "[null]",
    '["a", 1]',
    "[0, 0, 0]",
    "[" + ",".join(["0"] * 50_000) + "]",
    "[" * 5_000 + "]" * 5_000,
    '{"a": ' * 300 + "1" + "}" * 300,
    "[" * 300 + "]" * 300,
    '{"start": 0}',
    '[{"start": -5, "end": 2, "label": "framing", "annotator": "a"}]',
    '[{"start": 0, "end": 99999999999, "label": "framing", "annotator": "a"}]',
    '[{"start": 3, "end": 1, "label": "framing", "annotator": "a"}]',
    '[{"start": 0, "end": 5, "label": "nope", "annotator": "a"}]',
    '[{"start": 0, "end": 5, "label": "framing", "annotator": "a\\u0007"}]',
    '[{"start": 0, "end": 5, "label": "framing", "annotator": "a", "text": "wrong"}]',
    '[[0, 5, "framing", "extra"]]',
    "[[0, 5]]",
    '[["0", "5", "framing"]]',
    '{"alice": "finished"}',
    '{"": "done"}',
]
WEIRD_BYTES = [
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",  # an encoded surrogate: not UTF-8
    b"\xef\xbb\xbf",
    b"\r",
    b"\n",
    b"\r\n",
    b'"',
    b",",
    b"{",
    b"}",
    b"\x1b]0;pwned\x07",
    b"\\",
]


def _json_paths(obj: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _json_paths(value, (*prefix, key))
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from _json_paths(value, (*prefix, i))


def _render(obj: Any, path: tuple[Any, ...], replacement: str | None) -> str:
    """JSON text of ``obj`` with the value at ``path`` replaced by raw JSON (None: the key removed)."""
    if not path:
        return replacement if replacement is not None else "{}"
    if isinstance(obj, dict):
        parts = []
        for key, value in obj.items():
            if key == path[0]:
                if replacement is None and len(path) == 1:
                    continue
                parts.append(f"{orjson.dumps(key).decode()}: {_render(value, path[1:], replacement)}")
            else:
                parts.append(f"{orjson.dumps(key).decode()}: {orjson.dumps(value).decode()}")
        return "{" + ", ".join(parts) + "}"
    items = []
    for i, value in enumerate(obj):
        if i == path[0]:
            if replacement is None and len(path) == 1:
                continue
            items.append(_render(value, path[1:], replacement))
        else:
            items.append(orjson.dumps(value).decode())
    return "[" + ", ".join(items) + "]"


def _field_mutation(rng: random.Random, base: dict[str, Any]) -> bytes:
    path = rng.choice(list(_json_paths(base)))
    replacement = None if (path and rng.random() < 0.15) else rng.choice(WEIRD_JSON)
    line = _render(base, path, replacement).encode("utf-8")
    good = orjson.dumps(base)
    lines = [good, line] if rng.random() < 0.5 else [line]
    return b"\n".join(lines) + b"\n"


def _byte_mutation(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        pos = rng.randrange(len(data) + 1)
        kind = rng.random()
        if kind < 0.3:
            data[pos:pos] = rng.choice(WEIRD_BYTES)
        elif kind < 0.55 and data:
            del data[pos : pos + rng.randint(1, 8)]
        elif kind < 0.75 and pos < len(data):
            data[pos] = rng.randrange(256)
        else:
            del data[pos:]  # truncated
    return bytes(data)


def _csv_case(rng: random.Random) -> bytes:
    faults = [
        'id,text\n1,"never closed\n2,second\n3,third\n',
        'id,text\n1,"closed" then text\n2,ok\n',
        "id,text\n1,Hello, world\n",
        "id,title\n1,no text column\n",
        "id,text\n",
        "text\n\n \n",
        "id,text\n1,\n",
        "id,text\n1,a\x00b\n",
        "\ufeffid,text\n1,bom\n",
        "id,text\r1,cr only\r2,lines\r",
        'id,text\n1,"' + "y" * 200_000 + '"\n',
        "id,text,text\n1,a,b\n",
        "id,text\n1,first\n1,different text\n",
        "id,text\n1,\x1b]0;pwned\x07\n",
        '"id","text"\n"1","ok"\n"2","unclosed\n',
    ]
    data = rng.choice(faults).encode("utf-8")
    return _byte_mutation(rng, data) if rng.random() < 0.3 else data


def _text_case(rng: random.Random) -> bytes:
    faults = [
        b"",
        b"   \n\t\n",
        b"\xef\xbb\xbf",
        b"a\x00b",
        b"\xff\xfe t\x00e\x00",
        b"caf\xe9",
        b"\x1b[2J ok",
    ]
    return rng.choice(faults) if rng.random() < 0.6 else _byte_mutation(rng, TEXT.encode("utf-8"))


def cases(seed: int, count: int) -> list[tuple[str, bytes, str | None]]:
    rng = random.Random(seed)
    out: list[tuple[str, bytes, str | None]] = []
    bases = {"jsonl": NATIVE, "doccano": DOCCANO, "prodigy": PRODIGY}
    for i in range(count):
        roll = rng.random()
        fmt: str | None = None
        if roll < 0.5:
            kind = rng.choice(list(bases))
            data = _field_mutation(rng, bases[kind])
            name = f"case{i}.jsonl"
        elif roll < 0.7:
            kind = rng.choice(list(bases))
            data = _byte_mutation(rng, orjson.dumps(bases[kind]) + b"\n")
            name = f"case{i}.{rng.choice(['jsonl', 'json', 'ndjson'])}"
        elif roll < 0.82:
            data, name = _csv_case(rng), f"case{i}.csv"
        elif roll < 0.9:
            data, name = _text_case(rng), f"case{i}.{rng.choice(['txt', 'md'])}"
        else:
            data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 300)))
            name = f"case{i}.{rng.choice(['jsonl', 'csv', 'txt'])}"
        if rng.random() < 0.2:
            fmt = rng.choice(["jsonl", "doccano", "prodigy", "csv", "txt", "md"])
        out.append((name, data, fmt))
    return out
