"""`annotator labels`: list, add, rename, archive and restore labels from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.services.workspace import Workspace


def add_labels_parser(sub: Any) -> None:
    labels = sub.add_parser("labels", help="list, add, rename or archive labels")
    actions = labels.add_subparsers(dest="labels_command", metavar="ACTION")
    lst = actions.add_parser("list", help="the labels (the default action)")
    lst.add_argument("--all", action="store_true", help="archived labels too")
    lst.add_argument("--json", action="store_true", help="print JSON lines instead of a table")
    add = actions.add_parser("add", help="add a label")
    add.add_argument("name")
    add.add_argument("--color", metavar="#RRGGBB", help="its colour (default: the palette's next)")
    add.add_argument("--hotkey", metavar="KEY", help="one digit 0-9 or letter a-z")
    add.add_argument("--description", default="", help="the guideline annotators see")
    add.add_argument(
        "--document", action="store_true", help="a label for the whole document (set with Ctrl+Alt+1..9)"
    )
    add.add_argument("--set", dest="label_set", default="", metavar="NAME", help="a document label's group")
    add.add_argument(
        "--multiple", action="store_true", default=None, help="its group allows several labels per document"
    )
    describe = actions.add_parser("describe", help="change a label's guideline (kept as a new version)")
    describe.add_argument("name")
    describe.add_argument("description")
    history = actions.add_parser("history", help="every version of the guidelines, oldest first")
    history.add_argument("name", nargs="?", help="one label's versions only")
    history.add_argument("--json", action="store_true", help="print JSON lines instead of a table")
    ren = actions.add_parser("rename", help="rename a label (exports carry the new name)")
    ren.add_argument("name")
    ren.add_argument("new_name")
    arc = actions.add_parser("archive", help="hide a label from the palette; its spans stay")
    arc.add_argument("name")
    res = actions.add_parser("restore", help="bring an archived label back")
    res.add_argument("name")


def run_labels(workspace: Workspace, args: argparse.Namespace) -> int:
    service = workspace.labels
    action = args.labels_command or "list"
    if action == "list":
        show_all = getattr(args, "all", False)
        labels = service.list(include_archived=show_all)
        if getattr(args, "json", False):
            import orjson

            for label in labels:
                row = {
                    "name": label.name,
                    "color": label.color,
                    "hotkey": label.hotkey,
                    "description": label.description,
                    "archived": label.archived,
                    "kind": label.kind,
                    "set": label.label_set,
                    "multiple": label.multiple,
                }
                sys.stdout.buffer.write(orjson.dumps(row) + b"\n")
            return 0
        for label in labels:
            flags = "  (archived)" if label.archived else ""
            if label.is_document_label:
                mode = "multiple" if label.multiple else "single"
                flags = f"  document label, set '{label.label_set}' ({mode} choice){flags}"
            print(f"{label.name}\t{label.color}\t{label.hotkey or '-'}{flags}")
        return 0
    if action == "history":
        return _history(workspace, args)
    if action == "add":
        kind = "document" if args.document else "span"
        if not args.document and (args.label_set or args.multiple):
            print(
                "annotator labels add: --set and --multiple apply to document labels (--document)",
                file=sys.stderr,
            )
            return 2
        label = service.create(
            args.name,
            args.color,
            args.hotkey,
            args.description,
            kind=kind,
            label_set=args.label_set,
            multiple=args.multiple,
        )
        what = (
            f"document label, set '{label.label_set}'"
            if label.is_document_label
            else f"hotkey {label.hotkey or 'none'}"
        )
        print(f"added label '{label.name}' ({label.color}, {what})")
        return 0
    label = service.by_name(args.name)
    if action == "describe":
        service.update(label.id, description=args.description)
        print(f"new guideline version {workspace.guidelines.current_version()} for '{label.name}'")
    elif action == "rename":
        renamed = service.update(label.id, name=args.new_name)
        print(f"renamed '{label.name}' to '{renamed.name}'")
    elif action == "archive":
        service.set_archived(label.id, True)
        print(f"archived '{label.name}'; its spans are kept")
    else:
        service.set_archived(label.id, False)
        print(f"restored '{label.name}'")
    return 0


def _history(workspace: Workspace, args: argparse.Namespace) -> int:
    if args.name is not None:
        workspace.labels.by_name(args.name)  # an unknown name is an error, not an empty list
    versions = workspace.guidelines.history(args.name)
    if args.json:
        import orjson

        for v in versions:
            row = {
                "version": v.version,
                "label": v.label_name,
                "author": v.author,
                "time": v.created_at,
                "description": v.description,
            }
            sys.stdout.buffer.write(orjson.dumps(row) + b"\n")
        return 0
    if not versions:
        print("no guideline versions yet: write a label's description in the label editor")
    for v in versions:
        first = v.description.splitlines()[0] if v.description else "(empty)"
        print(f"{v.version}\t{v.created_at}\t{v.author}\t{v.label_name}\t{first[:80]}")
    return 0
