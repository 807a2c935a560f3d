"""Assignments (issue 13): which documents each annotator is to annotate, in which order.

A row says that a document is in an annotator's queue, at a position, made by a batch (a rule
run, or a hand assignment) and whether it belongs to the agreement sample (documents everyone
annotates). The plan is only a plan: spans and statuses never depend on it, so re-planning never
loses work.

On PostgreSQL the table follows revision 0005's pattern: team members get no privileges on it;
they read through the view ``annotator_api.assignment`` over a SECURITY DEFINER function that
returns only their own rows, with nothing that tells who else has a document (the row id, the
batch and the sample flag are blanked for them; supervisors read everything), and only
supervisors (or the owner) write, through ``annotator_write_assignments``. Supervisors also grant
and revoke the supervisor role through ``annotator_grant_role`` (before, only the owner could).
Row-level security is on as a second wall, as on the other per-annotator tables.

The Team view's span counts (per annotator, label and hour) are kept in ``span_tally`` by
triggers on ``span`` (row triggers on SQLite, statement triggers over the changed rows on
PostgreSQL, enabled even in an import's replica mode), so the view reads a few thousand tally
rows instead of counting millions of spans (10 s on 2,000,000 spans before). ``hour`` is the
span's creation hour in UTC, "YYYY-MM-DD HH".

Revision ID: 0008
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import text

revision = "0008"
down_revision = "0007"

API_SCHEMA = "annotator_api"
ONLY_SUPERVISORS = "permission denied: only a supervisor assigns documents"
ONLY_SUPERVISORS_GRANT = "permission denied: only a supervisor grants or revokes roles"


def _table() -> None:
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "document_id", sa.Integer(), sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "annotator_id", sa.Integer(), sa.ForeignKey("annotator.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("batch", sa.String(200), nullable=False, server_default=""),
        sa.Column("sample", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        # Serves the queue (one annotator's rows) as well as uniqueness.
        sa.UniqueConstraint("annotator_id", "document_id", name="uq_assignment"),
    )
    op.create_index("ix_assignment_document_id", "assignment", ["document_id"])
    op.create_table(
        "span_tally",
        sa.Column("annotator_id", sa.Integer(), primary_key=True),
        sa.Column("label_id", sa.Integer(), primary_key=True),
        sa.Column("hour", sa.String(13), primary_key=True),
        sa.Column("n", sa.Integer(), nullable=False),
    )


SQLITE_HOUR = "substr({row}.created_at, 1, 13)"
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER span_tally_insert AFTER INSERT ON span BEGIN
        INSERT INTO span_tally (annotator_id, label_id, hour, n)
        VALUES (NEW.annotator_id, NEW.label_id, {SQLITE_HOUR.format(row="NEW")}, 1)
        ON CONFLICT (annotator_id, label_id, hour) DO UPDATE SET n = n + 1;
    END""",
    f"""CREATE TRIGGER span_tally_delete AFTER DELETE ON span BEGIN
        UPDATE span_tally SET n = n - 1 WHERE annotator_id = OLD.annotator_id
            AND label_id = OLD.label_id AND hour = {SQLITE_HOUR.format(row="OLD")};
    END""",
    f"""CREATE TRIGGER span_tally_update AFTER UPDATE OF annotator_id, label_id, created_at ON span BEGIN
        UPDATE span_tally SET n = n - 1 WHERE annotator_id = OLD.annotator_id
            AND label_id = OLD.label_id AND hour = {SQLITE_HOUR.format(row="OLD")};
        INSERT INTO span_tally (annotator_id, label_id, hour, n)
        VALUES (NEW.annotator_id, NEW.label_id, {SQLITE_HOUR.format(row="NEW")}, 1)
        ON CONFLICT (annotator_id, label_id, hour) DO UPDATE SET n = n + 1;
    END""",
]
PG_HOUR = "to_char({row}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"


def _pg_tally(path: str) -> list[str]:
    def add(rows: str, sign: str) -> str:
        return (
            f"INSERT INTO span_tally AS t (annotator_id, label_id, hour, n) "
            f"SELECT r.annotator_id, r.label_id, {PG_HOUR.format(row='r')}, {sign}count(*) FROM {rows} r "
            "GROUP BY 1, 2, 3 ON CONFLICT (annotator_id, label_id, hour) DO UPDATE SET n = t.n + EXCLUDED.n;"
        )

    return [
        f"""
        CREATE OR REPLACE FUNCTION annotator_tally_spans() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER {path}
        AS $$ BEGIN
            IF TG_OP IN ('DELETE', 'UPDATE') THEN
                {add("old_rows", "-")}
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                {add("new_rows", "")}
            END IF;
            RETURN NULL;
        END $$
        """,
        "CREATE TRIGGER span_tally_insert AFTER INSERT ON span REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION annotator_tally_spans()",
        "CREATE TRIGGER span_tally_delete AFTER DELETE ON span REFERENCING OLD TABLE AS old_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION annotator_tally_spans()",
        "CREATE TRIGGER span_tally_update AFTER UPDATE ON span REFERENCING OLD TABLE AS old_rows "
        "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION annotator_tally_spans()",
        # The owner's imports switch row triggers off (session_replication_role = replica); these
        # must count every span all the same.
        "ALTER TABLE span ENABLE ALWAYS TRIGGER span_tally_insert",
        "ALTER TABLE span ENABLE ALWAYS TRIGGER span_tally_delete",
        "ALTER TABLE span ENABLE ALWAYS TRIGGER span_tally_update",
    ]


def _functions(path: str) -> list[str]:
    return [
        f"""
        CREATE OR REPLACE FUNCTION annotator_visible_assignments() RETURNS SETOF assignment
        LANGUAGE plpgsql STABLE SECURITY DEFINER {path}
        AS $$ BEGIN
            IF annotator_caller_is_supervisor() OR annotator_caller_is_owner() THEN
                RETURN QUERY SELECT * FROM assignment;
            ELSE
                -- Only one's own rows, and nothing in them about the others: no row id (ids
                -- count everyone's rows), no batch, no sample flag (a sample is shared by all).
                RETURN QUERY SELECT NULL::integer, a.document_id, a.annotator_id, a.position,
                        ''::varchar(200), false, a.created_at
                    FROM assignment a WHERE a.annotator_id = annotator_caller_id();
            END IF;
        END $$
        """,
        # removed: [[document, annotator], ...]; added: [[document, annotator, position, batch,
        # sample], ...] (an existing pair gets the new position, batch and flag).
        f"""
        CREATE OR REPLACE FUNCTION annotator_write_assignments(removed jsonb, added jsonb) RETURNS integer
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$
        DECLARE n integer; stamp timestamptz := clock_timestamp();
        BEGIN
            IF NOT (annotator_caller_is_supervisor() OR annotator_caller_is_owner()) THEN
                RAISE EXCEPTION '{ONLY_SUPERVISORS}' USING ERRCODE = '42501';
            END IF;
            DELETE FROM assignment a USING jsonb_array_elements(removed) r
                WHERE a.document_id = (r->>0)::integer AND a.annotator_id = (r->>1)::integer;
            INSERT INTO assignment AS t (document_id, annotator_id, position, batch, sample, created_at)
                SELECT (r->>0)::integer, (r->>1)::integer, (r->>2)::integer, r->>3, (r->>4)::boolean, stamp
                FROM jsonb_array_elements(added) r
                ON CONFLICT (annotator_id, document_id) DO UPDATE
                SET position = EXCLUDED.position, batch = EXCLUDED.batch, sample = EXCLUDED.sample;
            GET DIAGNOSTICS n = ROW_COUNT;
            RETURN n;
        END $$
        """,
        # The Team view's span counts from the tally: per annotator, label and hour (only the
        # caller's own for an annotator; everyone's for a supervisor or the owner).
        f"""
        CREATE OR REPLACE FUNCTION annotator_span_activity()
        RETURNS TABLE (annotator_id integer, label_id integer, hour varchar, n integer)
        LANGUAGE plpgsql STABLE SECURITY DEFINER {path}
        AS $$
        DECLARE everyone boolean := annotator_caller_is_supervisor() OR annotator_caller_is_owner();
                me integer := annotator_caller_id();
        BEGIN
            RETURN QUERY SELECT t.annotator_id, t.label_id, t.hour, t.n FROM span_tally t
                WHERE t.n <> 0 AND (everyone OR t.annotator_id = me);
        END $$
        """,
        # The spans of some documents (agreement on the sample), those the caller may see.
        f"""
        CREATE OR REPLACE FUNCTION annotator_spans_of_documents(docs integer[]) RETURNS SETOF span
        LANGUAGE plpgsql STABLE SECURITY DEFINER {path}
        AS $$ BEGIN
            IF annotator_caller_is_supervisor() OR annotator_caller_is_owner() THEN
                RETURN QUERY SELECT * FROM span WHERE document_id = ANY(docs);
            ELSE
                RETURN QUERY SELECT * FROM span WHERE document_id = ANY(docs) AND annotator_id = annotator_caller_id();
            END IF;
        END $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_grant_role(target text, new_role text) RETURNS SETOF annotator
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$
        DECLARE old text;
        BEGIN
            IF NOT (annotator_caller_is_supervisor() OR annotator_caller_is_owner()) THEN
                RAISE EXCEPTION '{ONLY_SUPERVISORS_GRANT}' USING ERRCODE = '42501';
            END IF;
            IF new_role NOT IN ('annotator', 'supervisor') THEN
                RAISE EXCEPTION 'unknown role %; use annotator or supervisor', new_role USING ERRCODE = '22023';
            END IF;
            -- Two supervisors revoking each other at once: one waits, then sees the other's change.
            PERFORM 1 FROM annotator WHERE role = 'supervisor' OR name = target FOR UPDATE;
            SELECT role INTO old FROM annotator WHERE name = target;
            IF old IS NULL THEN
                RAISE EXCEPTION 'no annotator named ''%''; they sign in once first', target USING ERRCODE = 'P0002';
            END IF;
            IF old = 'gold' THEN
                RAISE EXCEPTION '''%'' is the adjudicated layer, not a person; its role stays', target
                    USING ERRCODE = '22023';
            END IF;
            IF new_role = 'annotator' AND old = 'supervisor' AND NOT EXISTS (
                    SELECT 1 FROM annotator WHERE role = 'supervisor' AND name <> target) THEN
                RAISE EXCEPTION '''%'' is the only supervisor; grant the role to someone else first', target
                    USING ERRCODE = '22023';
            END IF;
            UPDATE annotator SET role = new_role WHERE name = target AND role <> new_role;
            RETURN QUERY SELECT * FROM annotator WHERE name = target;
        END $$
        """,
    ]


def _team_roles(bind: object) -> list[str]:
    """The roles that may read the views of 0005: the team (docs/team-setup.md, step 3)."""
    rows = bind.execute(  # type: ignore[attr-defined]
        text(
            """
            SELECT DISTINCT CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END
            FROM (SELECT (aclexplode(c.relacl)).grantee AS grantee, c.relowner AS owner
                  FROM pg_class c WHERE c.oid = to_regclass('annotator_api.span')) g
            LEFT JOIN pg_roles r ON r.oid = g.grantee
            WHERE g.grantee <> g.owner
            ORDER BY 1
            """
        )
    ).scalars()
    return list(rows)


def upgrade() -> None:
    _table()
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        for statement in SQLITE_TRIGGERS:
            bind.execute(text(statement))
        bind.execute(
            text(
                "INSERT INTO span_tally (annotator_id, label_id, hour, n) SELECT annotator_id, label_id, "
                f"{SQLITE_HOUR.format(row='span')}, count(*) FROM span GROUP BY 1, 2, 3"
            )
        )
        return
    schema = bind.execute(text("SELECT quote_ident(current_schema())")).scalar_one()
    path = f"SET search_path = {schema}, pg_temp"
    for statement in [*_functions(path), *_pg_tally(path)]:
        bind.execute(text(statement))
    bind.execute(
        text(
            "INSERT INTO span_tally (annotator_id, label_id, hour, n) SELECT annotator_id, label_id, "
            f"{PG_HOUR.format(row='span')}, count(*) FROM span GROUP BY 1, 2, 3"
        )
    )
    bind.execute(text("REVOKE ALL ON span_tally FROM PUBLIC"))
    bind.execute(text("ALTER TABLE assignment ENABLE ROW LEVEL SECURITY"))
    bind.execute(
        text(
            "CREATE POLICY assignment_select ON assignment FOR SELECT TO PUBLIC "
            "USING (annotator_may_read(annotator_id))"
        )
    )
    bind.execute(
        text(f"CREATE VIEW {API_SCHEMA}.assignment AS SELECT * FROM {schema}.annotator_visible_assignments()")
    )
    # Nobody but the owner touches the table (0005 removed the default privileges; this makes sure).
    bind.execute(text("REVOKE ALL ON assignment FROM PUBLIC"))
    for role in _team_roles(bind):
        bind.execute(text(f"GRANT SELECT ON {API_SCHEMA}.assignment TO {role}"))
