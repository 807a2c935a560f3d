"""Row-level security for a team on one PostgreSQL database (DESIGN.md section 7).

Each person connects as their own database role, and the annotator row whose ``name`` equals the
role name (``current_user``) is who they are. Annotators read and write only their own spans and
statuses; a supervisor (an annotator row with role 'supervisor') reads everything and writes only
the gold layer. Documents, labels and annotator names are readable by everyone with access;
documents and labels are written by supervisors; the schema version only by the owner.

The policies are ``TO PUBLIC`` and decide by ``current_user``, so no team role has to exist when
this runs; who may connect at all is a matter of GRANTs, left to the team (docs/team-setup.md).
The tables' owner, the administrator account that runs migrations and imports, is not subject to
these policies (row security is enabled, not forced).

Policies on ``annotator`` that looked up ``annotator`` would recurse; the lookups go through
SECURITY DEFINER functions run as the owner (so outside row security), each with a fixed
search_path. Those functions take the role name as an argument: inside them ``current_user`` is
the owner, so small SQL wrappers pass the caller's ``current_user`` in.

On SQLite (one person per file) this revision changes nothing.

Revision ID: 0003
Revises: 0002
"""

from alembic import op
from sqlalchemy import text

revision = "0003"
down_revision = "0002"

# Tables each annotator owns rows of, by their annotator_id.
OWNED_TABLES = ("span", "document_status")
# Shared reference tables: everyone reads, supervisors write.
SHARED_TABLES = ("document", "label")


def _functions(schema: str) -> list[str]:
    path = f"SET search_path = {schema}, pg_temp"
    return [
        # Definer functions: run as the owner, so they read annotator outside row security.
        f"""
        CREATE OR REPLACE FUNCTION annotator_id_of(role_name text) RETURNS integer
        LANGUAGE sql STABLE SECURITY DEFINER {path}
        AS $$ SELECT id FROM annotator WHERE name = role_name $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_role_of(role_name text) RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER {path}
        AS $$ SELECT role FROM annotator WHERE name = role_name $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_gold_id() RETURNS integer
        LANGUAGE sql STABLE SECURITY DEFINER {path}
        AS $$ SELECT id FROM annotator WHERE name = 'gold' AND role = 'gold' $$
        """,
        # Invoker wrappers: current_user here is the connected person.
        f"""
        CREATE OR REPLACE FUNCTION annotator_current_id() RETURNS integer
        LANGUAGE sql STABLE {path}
        AS $$ SELECT annotator_id_of(current_user::text) $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_is_supervisor() RETURNS boolean
        LANGUAGE sql STABLE {path}
        AS $$ SELECT coalesce(annotator_role_of(current_user::text) = 'supervisor', false) $$
        """,
    ]


def _policies() -> list[str]:
    # "(SELECT f())" is evaluated once per statement, not once per row.
    own = "annotator_id = (SELECT annotator_current_id())"
    reads = f"{own} OR (SELECT annotator_is_supervisor())"
    writes = f"{own} OR ((SELECT annotator_is_supervisor()) AND annotator_id = (SELECT annotator_gold_id()))"
    supervisor = "(SELECT annotator_is_supervisor())"
    sql = []
    for table in OWNED_TABLES:
        sql += [
            f"CREATE POLICY {table}_select ON {table} FOR SELECT TO PUBLIC USING ({reads})",
            f"CREATE POLICY {table}_insert ON {table} FOR INSERT TO PUBLIC WITH CHECK ({writes})",
            f"CREATE POLICY {table}_update ON {table} FOR UPDATE TO PUBLIC USING ({writes}) WITH CHECK ({writes})",
            f"CREATE POLICY {table}_delete ON {table} FOR DELETE TO PUBLIC USING ({writes})",
        ]
    for table in SHARED_TABLES:
        sql += [
            f"CREATE POLICY {table}_select ON {table} FOR SELECT TO PUBLIC USING (true)",
            f"CREATE POLICY {table}_insert ON {table} FOR INSERT TO PUBLIC WITH CHECK ({supervisor})",
            f"CREATE POLICY {table}_update ON {table} FOR UPDATE TO PUBLIC "
            f"USING ({supervisor}) WITH CHECK ({supervisor})",
            f"CREATE POLICY {table}_delete ON {table} FOR DELETE TO PUBLIC USING ({supervisor})",
        ]
    sql += [
        # Names and roles are public within the team (the review screens show them). A person adds
        # only themselves, as a plain annotator; a supervisor adds the gold layer. Nobody but the
        # owner changes or removes a row: no UPDATE or DELETE policy, so those match no rows.
        "CREATE POLICY annotator_select ON annotator FOR SELECT TO PUBLIC USING (true)",
        "CREATE POLICY annotator_insert ON annotator FOR INSERT TO PUBLIC WITH CHECK ("
        "(name = current_user::text AND role = 'annotator') "
        "OR ((SELECT annotator_is_supervisor()) AND name = 'gold' AND role = 'gold'))",
        # The schema version: read by every start-up, written only by the owner's migrations.
        "CREATE POLICY alembic_version_select ON alembic_version FOR SELECT TO PUBLIC USING (true)",
    ]
    return sql


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.execute(text("SELECT quote_ident(current_schema())")).scalar_one()
    for statement in _functions(schema):
        bind.execute(text(statement))
    for table in (*OWNED_TABLES, *SHARED_TABLES, "annotator", "alembic_version"):
        bind.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
    for statement in _policies():
        bind.execute(text(statement))
