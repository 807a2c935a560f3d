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
                }
                sys.stdout.buffer.write(orjson.dumps(row) + b"\n")
            return 0
        for label in labels:
            flags = "  (archived)" if label.archived else ""
            print(f"{label.name}\t{label.color}\t{label.hotkey or '-'}{flags}")
        return 0
    if action == "add":
        label = service.create(args.name, args.color, args.hotkey, args.description)
        print(f"added label '{label.name}' ({label.color}, hotkey {label.hotkey or 'none'})")
        return 0
    label = service.by_name(args.name)
    if action == "rename":
        renamed = service.update(label.id, name=args.new_name)
        print(f"renamed '{label.name}' to '{renamed.name}'")
    elif action == "archive":
        service.set_archived(label.id, True)
        print(f"archived '{label.name}'; its spans are kept")
    else:
        service.set_archived(label.id, False)
        print(f"restored '{label.name}'")
    return 0
