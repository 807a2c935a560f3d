"""Suggestions (issue 14): spans proposed by a recommender or imported model output, stored apart
from annotators' spans, and what each annotator rejected.

- ``suggestion``: document, label, offsets, score, source (name and version), for whom
  (``annotator_id``; NULL: everyone) and ``from_others``: built from other annotators' spans, shown
  only when a supervisor turns that on (``suggestion_policy.show_others``; off by default, so
  annotators stay blind to each other's work).
- ``suggestion_rejection``: per annotator, the rejected phrase (casefolded, whitespace collapsed)
  with its label, which hides that phrase everywhere, and the exact suggestion rejected.
- ``suggestion_policy``: one row of per-project settings a supervisor changes.

Exports and agreement read only ``span``; suggestions never reach them.

PostgreSQL (the team pattern of 0005): team members get no privileges on these tables. They read
through views in ``annotator_api`` over SECURITY DEFINER functions that return only what they may
see (a supervisor: everything), and write through functions that check the caller: a member may
store suggestions only for themselves (not from others' spans) and reject only as themselves;
supervisors store suggestions for anyone and change the policy.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import text

revision = "0006"
down_revision = "0005"

API_SCHEMA = "annotator_api"
REFUSED = "permission denied: you may store suggestions and rejections only for yourself"
SUPERVISORS_ONLY = "permission denied: only a supervisor changes the suggestion settings"


def _tables() -> None:
    op.create_table(
        "suggestion",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "document_id", sa.Integer(), sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("label_id", sa.Integer(), sa.ForeignKey("label.id", ondelete="CASCADE"), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("version", sa.String(200), nullable=False),
        sa.Column(
            "annotator_id", sa.Integer(), sa.ForeignKey("annotator.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column("from_others", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('0 <= start AND start < "end"', name="ck_suggestion_offsets"),
        sa.CheckConstraint("0 <= score AND score <= 1", name="ck_suggestion_score"),
    )
    op.create_index("ix_suggestion_document", "suggestion", ["document_id", "source"])
    op.create_table(
        "suggestion_rejection",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "annotator_id", sa.Integer(), sa.ForeignKey("annotator.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("label_id", sa.Integer(), sa.ForeignKey("label.id", ondelete="CASCADE"), nullable=False),
        sa.Column("phrase", sa.String(), nullable=False),
        sa.Column(
            "document_id", sa.Integer(), sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint(
            "annotator_id", "document_id", "label_id", "start", "end", name="uq_suggestion_rejection"
        ),
    )
    policy = op.create_table(
        "suggestion_policy",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("show_others", sa.Boolean(), nullable=False),
        sa.Column("train_on_gold", sa.Boolean(), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_suggestion_policy_one_row"),
    )
    op.bulk_insert(policy, [{"id": 1, "show_others": False, "train_on_gold": False}])


def _functions(path: str) -> list[str]:
    return [
        f"""
        CREATE OR REPLACE FUNCTION annotator_visible_suggestions() RETURNS SETOF suggestion
        LANGUAGE plpgsql STABLE SECURITY DEFINER {path}
        AS $$
        DECLARE me integer := annotator_caller_id();
        BEGIN
            IF annotator_caller_is_supervisor() THEN
                RETURN QUERY SELECT * FROM suggestion;
            ELSIF me IS NOT NULL THEN
                RETURN QUERY SELECT s.* FROM suggestion s
                    WHERE (s.annotator_id IS NULL OR s.annotator_id = me)
                      AND (NOT s.from_others OR (SELECT p.show_others FROM suggestion_policy p WHERE p.id = 1));
            END IF;
        END $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_visible_suggestion_rejections() RETURNS SETOF suggestion_rejection
        LANGUAGE plpgsql STABLE SECURITY DEFINER {path}
        AS $$ BEGIN
            IF annotator_caller_is_supervisor() THEN
                RETURN QUERY SELECT * FROM suggestion_rejection;
            ELSE
                RETURN QUERY SELECT * FROM suggestion_rejection WHERE annotator_id = annotator_caller_id();
            END IF;
        END $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_suggestion_policy() RETURNS SETOF suggestion_policy
        LANGUAGE sql STABLE SECURITY DEFINER {path}
        AS $$ SELECT * FROM suggestion_policy $$
        """,
        # Gold spans to train a recommender on, when a supervisor allows it (or for a supervisor).
        f"""
        CREATE OR REPLACE FUNCTION annotator_gold_training_spans() RETURNS SETOF span
        LANGUAGE plpgsql STABLE SECURITY DEFINER {path}
        AS $$ BEGIN
            IF annotator_caller_is_supervisor()
               OR (annotator_caller_id() IS NOT NULL
                   AND (SELECT p.train_on_gold FROM suggestion_policy p WHERE p.id = 1)) THEN
                RETURN QUERY SELECT * FROM span WHERE annotator_id = annotator_gold_id();
            END IF;
        END $$
        """,
        # rows: [[label, start, end, score, version], ...] for one document; replaces what the
        # source stored there for that audience (for_annotator NULL: everyone).
        f"""
        CREATE OR REPLACE FUNCTION annotator_store_suggestions(doc integer, source_name text,
            for_annotator integer, others boolean, rows jsonb) RETURNS integer
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$
        DECLARE n integer; len integer; stamp timestamptz := clock_timestamp();
        BEGIN
            IF NOT annotator_caller_is_supervisor()
               AND (for_annotator IS DISTINCT FROM annotator_caller_id() OR others OR for_annotator IS NULL) THEN
                RAISE EXCEPTION '{REFUSED}' USING ERRCODE = '42501';
            END IF;
            SELECT length INTO len FROM document WHERE id = doc;
            IF len IS NULL THEN
                RAISE EXCEPTION 'document % does not exist', doc USING ERRCODE = 'P0002';
            END IF;
            IF EXISTS (SELECT 1 FROM jsonb_array_elements(rows) r WHERE (r->>2)::integer > len) THEN
                RAISE EXCEPTION 'a suggestion ends after the text (length %)', len USING ERRCODE = '22023';
            END IF;
            DELETE FROM suggestion WHERE document_id = doc AND source = source_name
                AND annotator_id IS NOT DISTINCT FROM for_annotator;
            INSERT INTO suggestion (document_id, label_id, start, "end", score, source, version,
                                    annotator_id, from_others, created_at)
                SELECT doc, (r->>0)::integer, (r->>1)::integer, (r->>2)::integer, (r->>3)::double precision,
                       source_name, r->>4, for_annotator, others, stamp
                FROM jsonb_array_elements(rows) r;
            GET DIAGNOSTICS n = ROW_COUNT;
            RETURN n;
        END $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_reject_suggestion(doc integer, lab integer, first integer,
            last integer, phrase_text text) RETURNS integer
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$
        DECLARE me integer := annotator_caller_id(); n integer;
        BEGIN
            IF me IS NULL THEN
                RAISE EXCEPTION '{REFUSED}' USING ERRCODE = '42501';
            END IF;
            INSERT INTO suggestion_rejection (annotator_id, label_id, phrase, document_id, start, "end", created_at)
                VALUES (me, lab, phrase_text, doc, first, last, clock_timestamp())
                ON CONFLICT (annotator_id, document_id, label_id, start, "end") DO NOTHING;
            GET DIAGNOSTICS n = ROW_COUNT;
            RETURN n;
        END $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_set_suggestion_policy(others boolean, gold boolean)
        RETURNS void
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$ BEGIN
            IF NOT annotator_caller_is_supervisor() THEN
                RAISE EXCEPTION '{SUPERVISORS_ONLY}' USING ERRCODE = '42501';
            END IF;
            UPDATE suggestion_policy SET show_others = others, train_on_gold = gold WHERE id = 1;
        END $$
        """,
    ]


def upgrade() -> None:
    _tables()
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.execute(text("SELECT quote_ident(current_schema())")).scalar_one()
    path = f"SET search_path = {schema}, pg_temp"
    for statement in _functions(path):
        bind.execute(text(statement))
    views = {
        "suggestion": "annotator_visible_suggestions()",
        "suggestion_rejection": "annotator_visible_suggestion_rejections()",
        "suggestion_policy": "annotator_suggestion_policy()",
    }
    for name, function in views.items():
        bind.execute(text(f"CREATE VIEW {API_SCHEMA}.{name} AS SELECT * FROM {schema}.{function}"))
        # The functions decide what each caller sees; any role that may use the schema may ask.
        bind.execute(text(f"GRANT SELECT ON {API_SCHEMA}.{name} TO PUBLIC"))
    # The tables themselves: nobody but the owner, whatever default privileges were set after 0005.
    for table in ("suggestion", "suggestion_rejection", "suggestion_policy"):
        grantees = bind.execute(
            text(
                "SELECT DISTINCT CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END "
                "FROM (SELECT (aclexplode(c.relacl)).grantee AS grantee, c.relowner AS owner FROM pg_class c "
                "WHERE c.oid = CAST(:t AS regclass) AND c.relacl IS NOT NULL) g "
                "LEFT JOIN pg_roles r ON r.oid = g.grantee WHERE g.grantee <> g.owner"
            ),
            {"t": table},
        ).scalars()
        for role in sorted({"PUBLIC", *grantees}):
            bind.execute(text(f"REVOKE ALL ON {table} FROM {role}"))
            bind.execute(text(f"REVOKE ALL ON SEQUENCE {table}_id_seq FROM {role}"))
