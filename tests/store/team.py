"""A team on one PostgreSQL database, set up as docs/team-setup.md says: the owner's database,
login roles with the team's GRANTs and a registered supervisor. Shared by the team test modules."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from annotator.services.workspace import Workspace
from tests.conftest import psycopg_connect

TEXT = "Putin met Xi in Beijing. Talks ended without a deal."

# The GRANTs of docs/team-setup.md, step 3, with the names of one test.
TEAM_SQL = """
CREATE ROLE {team} NOLOGIN;
REVOKE CONNECT ON DATABASE "{db}" FROM PUBLIC;
GRANT CONNECT ON DATABASE "{db}" TO {team};
GRANT USAGE ON SCHEMA public, annotator_api TO {team};
GRANT SELECT ON document, label, annotator, alembic_version, guideline_version TO {team};
GRANT SELECT ON annotator_api.span, annotator_api.document_status, annotator_api.assignment TO {team};
GRANT SELECT ON annotator_api.document_label, annotator_api.document_comment TO {team};
"""

# What docs/team-setup.md said up to schema 0004 (the release before 0005): direct privileges on
# every table and sequence, row-level security deciding which rows.
OLD_TEAM_SQL = """
CREATE ROLE {team} NOLOGIN;
REVOKE CONNECT ON DATABASE "{db}" FROM PUBLIC;
GRANT CONNECT ON DATABASE "{db}" TO {team};
GRANT USAGE ON SCHEMA public TO {team};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {team};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {team};
ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {team};
ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO {team};
REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {team};
"""


@dataclass
class Team:
    owner_url: str
    owner: Workspace
    document_id: int
    urls: dict[str, str]  # short name (alice, bob, sam) -> that login role's URL
    roles: dict[str, str]  # short name -> role name (unique per test)
    opened: list[Workspace] = field(default_factory=list)

    def open(self, who: str) -> Workspace:
        ws = Workspace.open(self.urls[who])
        self.opened.append(ws)
        return ws

    def sql(self, who: str, statement: str, params: tuple[Any, ...] = ()) -> Any:
        """Run one statement in a transaction on a plain driver connection of that role: (rowcount, rows)."""
        with psycopg_connect(self.urls[who]) as conn, conn.transaction():
            cur = conn.execute(statement, params)
            rows = cur.fetchall() if cur.description else []
            return cur.rowcount, rows

    def owner_sql(self, statement: str, params: dict[str, Any] | None = None) -> Any:
        with self.owner.db.engine.begin() as conn:
            result = conn.execute(text(statement), params or {})
            return result.all() if result.returns_rows else []


@contextmanager
def team_roles(
    owner_url: str,
    who: tuple[str, ...] = ("alice", "bob", "sam"),
    *,
    grants: str = TEAM_SQL,
    superuser_url: str | None = None,
) -> Iterator[dict[str, str]]:
    """Steps 3-5 of docs/team-setup.md: login roles with the team's GRANTs and a registered
    supervisor ('sam'); yields {short name: role name}. The roles are dropped afterwards.
    superuser_url: who creates and drops the roles, when the owner may not (default: the owner)."""
    url = make_url(owner_url)
    tag = uuid.uuid4().hex[:10]
    names = {w: f"rls_{w}_{tag}" for w in who}
    group = f"rls_team_{tag}"
    roles = [*names.values(), group]
    owner = psycopg_connect(owner_url)
    admin = psycopg_connect(superuser_url or owner_url)
    try:
        admin.execute(f"CREATE ROLE {group} NOLOGIN")
        owner.execute(
            grants.replace("CREATE ROLE {team} NOLOGIN;", "").format(
                team=group, db=url.database, owner=url.username
            )
        )
        for role in names.values():
            admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{role}'")
            admin.execute(f"GRANT {group} TO {role}")
        if "sam" in names:
            owner.execute("INSERT INTO annotator (name, role) VALUES (%s, 'supervisor')", (names["sam"],))
        yield names
    finally:
        owner.close()
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ANY(%s)",
            (roles,),
        )
        made = [r for (r,) in admin.execute("SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", (roles,))]
        if made:
            admin.execute(f"DROP OWNED BY {', '.join(made)}")  # the GRANTs in this database
            for role in made:
                admin.execute(f"DROP ROLE {role}")
        admin.close()


def group_of(role: str) -> str:
    """The team's group role, from one of its login roles' names (rls_alice_TAG -> rls_team_TAG)."""
    return "rls_team_" + role.rsplit("_", 1)[1]


def role_url(owner_url: str, role: str) -> str:
    return make_url(owner_url).set(username=role, password=role).render_as_string(hide_password=False)


def make_team(database_factory: Callable[[str], str], tmp_path: Path) -> Iterator[Team]:
    owner_url = database_factory("team")
    owner = Workspace.open(owner_url)  # the owner creates the schema (migrations) ...
    source = tmp_path / "article.txt"
    source.write_text(TEXT, encoding="utf-8")
    assert owner.importer.import_paths([source]).ok  # ... and imports the documents
    [doc] = owner.documents.list_for(0)
    opened: list[Workspace] = []
    try:
        with team_roles(owner_url) as names:
            urls = {w: role_url(owner_url, role) for w, role in names.items()}
            try:
                yield Team(owner_url, owner, doc.id, urls, names, opened)
            finally:
                for ws in opened:
                    ws.close()
    finally:
        owner.close()


def label_id(ws: Workspace) -> int:
    return ws.labels.list()[0].id
