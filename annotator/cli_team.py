"""`annotator team`: who is on this database and with which role; supervisors grant roles."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.services.workspace import Workspace


def add_team_parser(sub: Any) -> None:
    team = sub.add_parser("team", help="list the people and their roles; grant or revoke supervisor")
    actions = team.add_subparsers(dest="team_command", metavar="ACTION")
    lst = actions.add_parser("list", help="people and roles (the default action)")
    lst.add_argument("--json", action="store_true", help="print JSON lines instead of a table")
    grant = actions.add_parser("grant", help="give a person a role (supervisors only)")
    grant.add_argument("name")
    grant.add_argument("role", choices=["supervisor", "annotator"])
    grant.add_argument(
        "--as",
        dest="acting",
        metavar="SUPERVISOR_NAME",
        help="who grants (SQLite: must be a supervisor; PostgreSQL: the database role decides)",
    )


def run_team(workspace: Workspace, args: argparse.Namespace) -> int:
    service = workspace.annotators
    if (args.team_command or "list") == "list":
        people = service.list()
        if getattr(args, "json", False):
            import orjson

            for person in people:
                sys.stdout.buffer.write(orjson.dumps({"name": person.name, "role": person.role}) + b"\n")
            return 0
        for person in people:
            print(f"{person.name}\t{person.role}")
        return 0
    before = service.find(args.name)
    info = service.grant(args.name, args.role, by=args.acting)
    if before is not None and before.role == info.role:
        print(f"'{info.name}' is already {info.role}; nothing changed")
    else:
        print(f"'{info.name}' is now {info.role}")
    return 0
