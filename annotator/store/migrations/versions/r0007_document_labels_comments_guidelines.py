"""Document-level labels, document comments and versioned guidelines (issue 12).

- ``label`` gets ``kind`` (``span`` or ``document``), ``label_set`` (the group a document label
  belongs to) and ``multiple`` (whether its set allows several labels per document);
- ``document_label``: (document, annotator, label), one row per label an annotator gave a whole
  document;
- ``document_comment``: one comment per document and annotator (a question for the supervisor);
- ``guideline_version``: every change of a label's description, with its time and author; the
  version in force is the newest row's id;
- ``document_status.guidelines_version``: set by a trigger to the version in force whenever a
  status becomes ``done`` (NULL otherwise), so an export can name the guidelines a document was
  annotated under.

PostgreSQL follows 0005's team pattern: team members get no privileges on ``document_label`` or
``document_comment``; they read them through views in ``annotator_api`` over SECURITY DEFINER
functions that return only their own rows (a supervisor's: all) and write through definer functions
that check the caller. ``guideline_version`` is readable by the team and written by supervisors
through a function that records the caller as its author.

Revision ID: 0007
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import text

revision = "0007"
down_revision = "0006"

API_SCHEMA = "annotator_api"
REFUSED = "permission denied: on a team database you may change only your own annotations (a supervisor: only the gold layer)"


def _tables() -> None:
    # Plain ADD COLUMN (constant defaults): SQLite keeps the table, and the spans that refer to it.
    op.add_column("label", sa.Column("kind", sa.String(length=10), nullable=False, server_default="span"))
    op.add_column("label", sa.Column("label_set", sa.String(length=200), nullable=False, server_default=""))
    op.add_column("label", sa.Column("multiple", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("document_status", sa.Column("guidelines_version", sa.Integer(), nullable=True))
    op.create_table(
        "document_label",
        sa.Column(
            "document_id", sa.Integer(), sa.ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "annotator_id", sa.Integer(), sa.ForeignKey("annotator.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("label_id", sa.Integer(), sa.ForeignKey("label.id"), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_document_label_annotator_id", "document_label", ["annotator_id"])
    op.create_table(
        "document_comment",
        sa.Column(
            "document_id", sa.Integer(), sa.ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "annotator_id", sa.Integer(), sa.ForeignKey("annotator.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_document_comment_annotator_id", "document_comment", ["annotator_id"])
    op.create_table(
        "guideline_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("label_id", sa.Integer(), sa.ForeignKey("label.id"), nullable=False),
        sa.Column("label_name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )


SQLITE_TRIGGERS = (
    """CREATE TRIGGER document_status_guidelines_insert AFTER INSERT ON document_status
    BEGIN
        UPDATE document_status SET guidelines_version = CASE WHEN NEW.status = 'done'
            THEN (SELECT max(id) FROM guideline_version) END
        WHERE document_id = NEW.document_id AND annotator_id = NEW.annotator_id;
    END""",
    """CREATE TRIGGER document_status_guidelines_update AFTER UPDATE OF status ON document_status
    WHEN NEW.status IS NOT OLD.status
    BEGIN
        UPDATE document_status SET guidelines_version = CASE WHEN NEW.status = 'done'
            THEN (SELECT max(id) FROM guideline_version) END
        WHERE document_id = NEW.document_id AND annotator_id = NEW.annotator_id;
    END""",
)


def _postgres(bind: object) -> None:
    raw_schema = bind.execute(text("SELECT current_schema()")).scalar_one()  # type: ignore[attr-defined]
    schema = bind.execute(text("SELECT quote_ident(current_schema())")).scalar_one()  # type: ignore[attr-defined]
    path = f"SET search_path = {schema}, pg_temp"
    statements = [
        f"""
        CREATE OR REPLACE FUNCTION annotator_stamp_guidelines() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER {path}
        AS $$ BEGIN
            IF TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status THEN
                NEW.guidelines_version := CASE WHEN NEW.status = 'done'
                    THEN (SELECT max(id) FROM guideline_version) END;
            END IF;
            RETURN NEW;
        END $$
        """,
        "CREATE TRIGGER document_status_guidelines BEFORE INSERT OR UPDATE ON document_status "
        "FOR EACH ROW EXECUTE FUNCTION annotator_stamp_guidelines()",
        f"""
        CREATE OR REPLACE FUNCTION annotator_visible_document_labels() RETURNS SETOF document_label
        LANGUAGE plpgsql STABLE SECURITY DEFINER {path}
        AS $$ BEGIN
            IF annotator_caller_is_supervisor() THEN
                RETURN QUERY SELECT * FROM document_label;
            ELSE
                RETURN QUERY SELECT * FROM document_label WHERE annotator_id = annotator_caller_id();
            END IF;
        END $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_visible_document_comments() RETURNS SETOF document_comment
        LANGUAGE plpgsql STABLE SECURITY DEFINER {path}
        AS $$ BEGIN
            IF annotator_caller_is_supervisor() THEN
                RETURN QUERY SELECT * FROM document_comment;
            ELSE
                RETURN QUERY SELECT * FROM document_comment WHERE annotator_id = annotator_caller_id();
            END IF;
        END $$
        """,
        # present: true adds the label (nothing if there), false removes it. Returns rows changed.
        f"""
        CREATE OR REPLACE FUNCTION annotator_set_document_label(doc integer, ann integer, lab integer,
            present boolean) RETURNS integer
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$
        DECLARE n integer;
        BEGIN
            PERFORM annotator_check_write(ann);
            IF present THEN
                IF NOT EXISTS (SELECT 1 FROM label WHERE id = lab AND kind = 'document') THEN
                    RAISE EXCEPTION 'label % is not a document label', lab USING ERRCODE = '22023';
                END IF;
                INSERT INTO document_label (document_id, annotator_id, label_id, created_at)
                    VALUES (doc, ann, lab, clock_timestamp()) ON CONFLICT DO NOTHING;
                INSERT INTO document_status AS st (document_id, annotator_id, status, updated_at)
                    VALUES (doc, ann, 'in_progress', clock_timestamp())
                    ON CONFLICT (document_id, annotator_id) DO UPDATE
                    SET status = 'in_progress', updated_at = EXCLUDED.updated_at WHERE st.status = 'todo';
                RETURN 1;
            ELSE
                DELETE FROM document_label WHERE document_id = doc AND annotator_id = ann AND label_id = lab;
            END IF;
            GET DIAGNOSTICS n = ROW_COUNT;
            RETURN n;
        END $$
        """,
        # An empty or NULL comment deletes it.
        f"""
        CREATE OR REPLACE FUNCTION annotator_set_document_comment(doc integer, ann integer, body text)
        RETURNS void
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$ BEGIN
            PERFORM annotator_check_write(ann);
            IF body IS NULL OR body = '' THEN
                DELETE FROM document_comment WHERE document_id = doc AND annotator_id = ann;
            ELSE
                INSERT INTO document_comment AS c (document_id, annotator_id, text, updated_at)
                    VALUES (doc, ann, body, clock_timestamp())
                    ON CONFLICT (document_id, annotator_id) DO UPDATE
                    SET text = EXCLUDED.text, updated_at = EXCLUDED.updated_at;
            END IF;
        END $$
        """,
        # A supervisor records a label's new description; the author is who logged in.
        f"""
        CREATE OR REPLACE FUNCTION annotator_record_guideline(lab integer, body text) RETURNS integer
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$
        DECLARE new_id integer;
        BEGIN
            PERFORM annotator_check_supervisor();
            INSERT INTO guideline_version (label_id, label_name, description, author, created_at)
                SELECT id, name, body, session_user::text, clock_timestamp() FROM label WHERE id = lab
                RETURNING id INTO new_id;
            RETURN new_id;
        END $$
        """,
        # A supervisor sets a label's kind, set and choice mode (0005's annotator_save_label keeps
        # its signature for older clients).
        f"""
        CREATE OR REPLACE FUNCTION annotator_save_label_kind(lab integer, new_kind text, new_set text,
            new_multiple boolean) RETURNS integer
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$
        DECLARE n integer;
        BEGIN
            PERFORM annotator_check_supervisor();
            IF new_kind NOT IN ('span', 'document') THEN
                RAISE EXCEPTION 'unknown label kind %', new_kind USING ERRCODE = '22023';
            END IF;
            UPDATE label SET kind = new_kind, label_set = new_set, multiple = new_multiple WHERE id = lab;
            GET DIAGNOSTICS n = ROW_COUNT;
            RETURN n;
        END $$
        """,
        # 0005's view was expanded at creation; it gains the new column (its grants stay).
        f"CREATE OR REPLACE VIEW {API_SCHEMA}.document_status AS "
        f"SELECT * FROM {schema}.annotator_visible_statuses()",
        f"CREATE VIEW {API_SCHEMA}.document_label AS SELECT * FROM {schema}.annotator_visible_document_labels()",
        f"CREATE VIEW {API_SCHEMA}.document_comment AS SELECT * FROM {schema}.annotator_visible_document_comments()",
        f"REVOKE EXECUTE ON FUNCTION {schema}.annotator_stamp_guidelines() FROM PUBLIC",
        # Review windows hear of these changes as of spans' (0004/0005's notification function).
        "CREATE TRIGGER document_label_changed AFTER INSERT OR UPDATE OR DELETE ON document_label "
        "FOR EACH STATEMENT EXECUTE FUNCTION annotator_notify_change()",
        "CREATE TRIGGER document_comment_changed AFTER INSERT OR UPDATE OR DELETE ON document_comment "
        "FOR EACH STATEMENT EXECUTE FUNCTION annotator_notify_change()",
    ]
    for statement in statements:
        bind.execute(text(statement))  # type: ignore[attr-defined]
    # The team: every role that may read the API views (0005 granted them SELECT there).
    team = bind.execute(  # type: ignore[attr-defined]
        text(
            "SELECT DISTINCT quote_ident(r.rolname) FROM information_schema.role_table_grants g "
            "JOIN pg_roles r ON r.rolname = g.grantee "
            "WHERE g.table_schema = :api AND g.privilege_type = 'SELECT' AND g.table_name = 'span'"
        ),
        {"api": API_SCHEMA},
    ).scalars()
    for role in list(team):
        bind.execute(text(f"GRANT SELECT ON {API_SCHEMA}.document_label TO {role}"))  # type: ignore[attr-defined]
        bind.execute(text(f"GRANT SELECT ON {API_SCHEMA}.document_comment TO {role}"))  # type: ignore[attr-defined]
        bind.execute(text(f"GRANT SELECT ON guideline_version TO {role}"))  # type: ignore[attr-defined]
    del raw_schema


def upgrade() -> None:
    _tables()
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _postgres(bind)
    else:
        for statement in SQLITE_TRIGGERS:
            bind.execute(text(statement))
