"""PostgreSQL: team members reach spans and statuses only through functions (issue 15).

Row-level security (0003) hid other people's rows from direct reads and writes, but a session that
may query a table can make the planner evaluate its own predicates over every row of it (EXPLAIN
ANALYZE counts the rows a policy then removed), read the table's statistics (pg_stats), the
sequence (span_id_seq.last_value) and probe ids through duplicate-key errors. So team members now
get no privileges at all on span, document_status and the sequences:

- they read spans and statuses through SECURITY DEFINER functions owned by the owner
  (``annotator_visible_spans()`` ...), which return only the rows the caller may see; the views
  ``annotator_api.span`` and ``annotator_api.document_status`` present them under the table names,
  so the app (and psql) reads them with ``search_path = annotator_api, public``. A definer
  function is never inlined: the caller's predicates apply to what it returned, nothing else;
- they write through functions that take no id (ids come from the sequence inside), check that
  the row is the caller's to write, and raise otherwise, so nothing is skipped silently;
- who the caller is: the annotator row named after the login role (``session_user``), which must
  be able to log in; ``SET ROLE`` to a group changes nothing of who one is;
- documents, labels, annotator rows and the schema version stay readable (SELECT) by the team, and
  are written only by the owner or, through functions, by supervisors; a trigger refuses a
  change of a document's text, hash or length and the deletion of a document by anyone but the
  owner;
- change notifications go only to channels with unguessable names, which a supervisor's (or the
  owner's) review window obtains from ``annotator_listen()``; nobody else learns when someone edits.

The upgrade takes away what the team's roles were granted on this schema's tables and sequences
(and the owner's default privileges for new ones) and gives each of those roles SELECT on the
readable tables and the views (docs/team-setup.md). On SQLite this revision changes nothing.

Revision ID: 0005
Revises: 0004
"""

from alembic import op
from sqlalchemy import text

revision = "0005"
down_revision = "0004"

API_SCHEMA = "annotator_api"
READABLE_TABLES = ("document", "label", "annotator", "alembic_version")
REFUSED = "permission denied: on a team database you may change only your own annotations (a supervisor: only the gold layer)"
SUPERVISORS_ONLY = "permission denied: only a supervisor or the owner changes documents and labels"
TEAM_FUNCTIONS = (
    "annotator_visible_spans()",
    "annotator_visible_statuses()",
    "annotator_document_spans(integer, integer)",
    "annotator_fingerprint(integer)",
    "annotator_span_counts(integer)",
    "annotator_add_span(integer, integer, integer, integer, integer, text)",
    "annotator_delete_span(integer)",
    "annotator_update_span(integer, integer, text, boolean)",
    "annotator_set_status(integer, integer, text, boolean)",
    "annotator_import_spans(jsonb)",
    "annotator_reserve_document_ids(integer)",
    "annotator_import_documents(jsonb)",
    "annotator_sign_up(text)",
    "annotator_gold()",
    "annotator_save_label(integer, text, text, text, text, integer, boolean)",
    "annotator_listen()",
    "annotator_lock_imports()",
)


def _identity(path: str) -> list[str]:
    return [
        # Who is calling: the annotator row of the login role. Inside a definer function
        # current_user is the owner; session_user is who logged in, and SET ROLE leaves it.
        f"""
        CREATE OR REPLACE FUNCTION annotator_caller_id() RETURNS integer
        LANGUAGE sql STABLE SECURITY DEFINER {path}
        AS $$ SELECT a.id FROM annotator a
              WHERE a.name = session_user::text AND a.role IN ('annotator', 'supervisor')
                AND EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = session_user AND r.rolcanlogin) $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_caller_is_supervisor() RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER {path}
        AS $$ SELECT coalesce((SELECT role = 'supervisor' FROM annotator WHERE id = annotator_caller_id()), false) $$
        """,
        # The owner (or a member of the owning role, or a superuser) may do everything.
        f"""
        CREATE OR REPLACE FUNCTION annotator_caller_is_owner() RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER {path}
        AS $$ SELECT pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = 'span'::regclass), 'MEMBER') $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_may_write(ann integer) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER {path}
        AS $$ SELECT coalesce(ann = annotator_caller_id()
              OR (annotator_caller_is_supervisor() AND ann = annotator_gold_id()), false) $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_may_read(ann integer) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER {path}
        AS $$ SELECT coalesce(ann = annotator_caller_id() OR annotator_caller_is_supervisor(), false) $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_check_write(ann integer) RETURNS void
        LANGUAGE plpgsql STABLE SECURITY DEFINER {path}
        AS $$ BEGIN
            IF NOT annotator_may_write(ann) THEN
                RAISE EXCEPTION '{REFUSED}' USING ERRCODE = '42501';
            END IF;
        END $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_check_supervisor() RETURNS void
        LANGUAGE plpgsql STABLE SECURITY DEFINER {path}
        AS $$ BEGIN
            IF NOT annotator_caller_is_supervisor() THEN
                RAISE EXCEPTION '{SUPERVISORS_ONLY}' USING ERRCODE = '42501';
            END IF;
        END $$
        """,
        # 0003's wrappers (its policies and docs/team-setup.md use them) now mean the same.
        f"""
        CREATE OR REPLACE FUNCTION annotator_current_id() RETURNS integer
        LANGUAGE sql STABLE {path} AS $$ SELECT annotator_caller_id() $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_is_supervisor() RETURNS boolean
        LANGUAGE sql STABLE {path} AS $$ SELECT annotator_caller_is_supervisor() $$
        """,
    ]


def _reads(path: str) -> list[str]:
    return [
        f"""
        CREATE OR REPLACE FUNCTION annotator_visible_spans() RETURNS SETOF span
        LANGUAGE plpgsql STABLE SECURITY DEFINER {path}
        AS $$ BEGIN
            IF annotator_caller_is_supervisor() THEN
                RETURN QUERY SELECT * FROM span;
            ELSE
                RETURN QUERY SELECT * FROM span WHERE annotator_id = annotator_caller_id();
            END IF;
        END $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_visible_statuses() RETURNS SETOF document_status
        LANGUAGE plpgsql STABLE SECURITY DEFINER {path}
        AS $$ BEGIN
            IF annotator_caller_is_supervisor() THEN
                RETURN QUERY SELECT * FROM document_status;
            ELSE
                RETURN QUERY SELECT * FROM document_status WHERE annotator_id = annotator_caller_id();
            END IF;
        END $$
        """,
        # One document's spans (of one annotator, or all the caller may see): the editor's hot path.
        f"""
        CREATE OR REPLACE FUNCTION annotator_document_spans(doc integer, ann integer) RETURNS SETOF span
        LANGUAGE plpgsql STABLE SECURITY DEFINER {path}
        AS $$ BEGIN
            IF ann IS NOT NULL THEN
                IF annotator_may_read(ann) THEN
                    RETURN QUERY SELECT * FROM span WHERE document_id = doc AND annotator_id = ann;
                END IF;
            ELSIF annotator_caller_is_supervisor() THEN
                RETURN QUERY SELECT * FROM span WHERE document_id = doc;
            ELSE
                RETURN QUERY SELECT * FROM span WHERE document_id = doc AND annotator_id = annotator_caller_id();
            END IF;
        END $$
        """,
        # The review window's cheap change check (ReviewService.fingerprint), over visible rows.
        f"""
        CREATE OR REPLACE FUNCTION annotator_fingerprint(doc integer)
        RETURNS TABLE (spans bigint, spans_at timestamptz, statuses bigint, statuses_at timestamptz)
        LANGUAGE plpgsql STABLE SECURITY DEFINER {path}
        AS $$
        DECLARE
            gold integer := coalesce((SELECT id FROM annotator WHERE role = 'gold' LIMIT 1), -1);
            me integer := annotator_caller_id();
            everyone boolean := annotator_caller_is_supervisor();
        BEGIN
            IF doc IS NULL THEN
                RETURN QUERY
                    SELECT a.n, a.at, b.n, b.at
                    FROM (SELECT count(*) AS n, max(s.updated_at) AS at FROM span s
                          WHERE s.annotator_id <> gold AND (everyone OR s.annotator_id = me)) a,
                         (SELECT count(*) AS n, max(t.updated_at) AS at FROM document_status t
                          WHERE t.annotator_id <> gold AND (everyone OR t.annotator_id = me)) b;
            ELSE
                RETURN QUERY
                    SELECT a.n, a.at, b.n, b.at
                    FROM (SELECT count(*) AS n, max(s.updated_at) AS at FROM span s
                          WHERE s.document_id = doc AND s.annotator_id <> gold
                            AND (everyone OR s.annotator_id = me)) a,
                         (SELECT count(*) AS n, max(t.updated_at) AS at FROM document_status t
                          WHERE t.document_id = doc AND t.annotator_id <> gold
                            AND (everyone OR t.annotator_id = me)) b;
            END IF;
        END $$
        """,
        # Spans per document of one annotator (the document list's counts), if the caller may see them.
        f"""
        CREATE OR REPLACE FUNCTION annotator_span_counts(ann integer)
        RETURNS TABLE (document_id integer, n bigint)
        LANGUAGE plpgsql STABLE SECURITY DEFINER {path}
        AS $$ BEGIN
            IF annotator_may_read(ann) THEN
                RETURN QUERY SELECT s.document_id, count(*) FROM span s WHERE s.annotator_id = ann
                    GROUP BY s.document_id;
            END IF;
        END $$
        """,
    ]


def _writes(path: str) -> list[str]:
    return [
        f"""
        CREATE OR REPLACE FUNCTION annotator_add_span(doc integer, ann integer, lab integer,
            first integer, last integer, note_text text) RETURNS SETOF span
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$
        DECLARE len integer; stamp timestamptz := clock_timestamp();
        BEGIN
            PERFORM annotator_check_write(ann);
            SELECT length INTO len FROM document WHERE id = doc;
            IF len IS NULL THEN
                RAISE EXCEPTION 'document % does not exist', doc USING ERRCODE = 'P0002';
            END IF;
            IF NOT (0 <= first AND first < last AND last <= len) THEN
                RAISE EXCEPTION 'offsets %-% are outside the text (0-%)', first, last, len USING ERRCODE = '22023';
            END IF;
            RETURN QUERY INSERT INTO span (document_id, annotator_id, label_id, start, "end", note, created_at, updated_at)
                VALUES (doc, ann, lab, first, last, note_text, stamp, stamp) RETURNING *;
            INSERT INTO document_status AS st (document_id, annotator_id, status, updated_at)
                VALUES (doc, ann, 'in_progress', stamp)
                ON CONFLICT (document_id, annotator_id) DO UPDATE
                SET status = 'in_progress', updated_at = EXCLUDED.updated_at WHERE st.status = 'todo';
        END $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_delete_span(span_id integer) RETURNS SETOF span
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$ BEGIN
            RETURN QUERY DELETE FROM span WHERE id = span_id AND annotator_may_write(annotator_id) RETURNING *;
            IF NOT FOUND THEN
                PERFORM annotator_refuse_span(span_id);
            END IF;
        END $$
        """,
        # label: the new label (NULL keeps it); the note changes only when change_note.
        f"""
        CREATE OR REPLACE FUNCTION annotator_update_span(span_id integer, lab integer, note_text text,
            change_note boolean) RETURNS SETOF span
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$ BEGIN
            RETURN QUERY UPDATE span SET label_id = coalesce(lab, label_id),
                    note = CASE WHEN change_note THEN note_text ELSE note END,
                    updated_at = clock_timestamp()
                WHERE id = span_id AND annotator_may_write(annotator_id) RETURNING *;
            IF NOT FOUND THEN
                PERFORM annotator_refuse_span(span_id);
            END IF;
        END $$
        """,
        # A span the caller cannot write: refused if they may see it, else "no longer exists",
        # the same answer as for an id nobody has, so a hidden span's id is never confirmed.
        f"""
        CREATE OR REPLACE FUNCTION annotator_refuse_span(span_id integer) RETURNS void
        LANGUAGE plpgsql STABLE SECURITY DEFINER {path}
        AS $$ BEGIN
            IF EXISTS (SELECT 1 FROM span WHERE id = span_id AND annotator_may_read(annotator_id)) THEN
                RAISE EXCEPTION '{REFUSED}' USING ERRCODE = '42501';
            END IF;
            RAISE EXCEPTION 'span % no longer exists', span_id USING ERRCODE = 'P0002';
        END $$
        """,
        # Returns 1 when the status was written, 0 when forward_only kept a later stored one.
        f"""
        CREATE OR REPLACE FUNCTION annotator_set_status(doc integer, ann integer, new_status text,
            forward_only boolean) RETURNS integer
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$
        DECLARE n integer; steps text[] := ARRAY['todo', 'in_progress', 'done'];
        BEGIN
            PERFORM annotator_check_write(ann);
            IF array_position(steps, new_status) IS NULL THEN
                RAISE EXCEPTION 'unknown status %', new_status USING ERRCODE = '22023';
            END IF;
            INSERT INTO document_status AS st (document_id, annotator_id, status, updated_at)
                VALUES (doc, ann, new_status, clock_timestamp())
                ON CONFLICT (document_id, annotator_id) DO UPDATE
                SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
                WHERE NOT forward_only
                   OR array_position(steps, EXCLUDED.status) > array_position(steps, st.status);
            GET DIAGNOSTICS n = ROW_COUNT;
            RETURN n;
        END $$
        """,
        # An import's spans: [[document, annotator, label, start, end, note], ...]. Every row is
        # the caller's to write or nothing is; returns how many were new.
        f"""
        CREATE OR REPLACE FUNCTION annotator_import_spans(rows jsonb) RETURNS integer
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$
        DECLARE n integer; stamp timestamptz := clock_timestamp();
        BEGIN
            IF EXISTS (SELECT 1 FROM (SELECT DISTINCT (r->>1)::integer AS ann FROM jsonb_array_elements(rows) r) x
                       WHERE NOT annotator_may_write(x.ann)) THEN
                RAISE EXCEPTION '{REFUSED}' USING ERRCODE = '42501';
            END IF;
            INSERT INTO span (document_id, annotator_id, label_id, start, "end", note, created_at, updated_at)
                SELECT (r->>0)::integer, (r->>1)::integer, (r->>2)::integer, (r->>3)::integer,
                       (r->>4)::integer, r->>5, stamp, stamp
                FROM jsonb_array_elements(rows) r
                ON CONFLICT (document_id, annotator_id, label_id, start, "end") DO NOTHING;
            GET DIAGNOSTICS n = ROW_COUNT;
            RETURN n;
        END $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_reserve_document_ids(n integer) RETURNS SETOF bigint
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$ BEGIN
            PERFORM annotator_check_supervisor();
            RETURN QUERY SELECT nextval(pg_get_serial_sequence('document', 'id')) FROM generate_series(1, n);
        END $$
        """,
        # [[id, uid, title, text, sha256, meta, position], ...]; ids from annotator_reserve_document_ids.
        # The hash and length are computed here, from the text, whatever the caller says.
        f"""
        CREATE OR REPLACE FUNCTION annotator_import_documents(rows jsonb) RETURNS integer
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$
        DECLARE n integer; stamp timestamptz := clock_timestamp();
        BEGIN
            PERFORM annotator_check_supervisor();
            IF EXISTS (SELECT 1 FROM jsonb_array_elements(rows) r WHERE (r->>0)::bigint NOT BETWEEN 1 AND
                       currval(pg_get_serial_sequence('document', 'id'))) THEN
                RAISE EXCEPTION 'document ids come from annotator_reserve_document_ids()' USING ERRCODE = '42501';
            END IF;
            INSERT INTO document (id, uid, title, text, sha256, meta, position, length, created_at)
                SELECT (r->>0)::integer, r->>1, r->>2, r->>3, encode(sha256(convert_to(r->>3, 'UTF8')), 'hex'),
                       (r->5)::json, (r->>6)::integer, char_length(r->>3), stamp
                FROM jsonb_array_elements(rows) r;
            GET DIAGNOSTICS n = ROW_COUNT;
            RETURN n;
        END $$
        """,
        # A person registers only themselves (their login role's name), as a plain annotator.
        f"""
        CREATE OR REPLACE FUNCTION annotator_sign_up(wanted text) RETURNS SETOF annotator
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$ BEGIN
            IF wanted IS DISTINCT FROM session_user::text
               OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND rolcanlogin) THEN
                RAISE EXCEPTION '{REFUSED}' USING ERRCODE = '42501';
            END IF;
            INSERT INTO annotator (name, role) VALUES (wanted, 'annotator') ON CONFLICT (name) DO NOTHING;
            RETURN QUERY SELECT * FROM annotator WHERE name = wanted;
        END $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_gold() RETURNS SETOF annotator
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$ BEGIN
            IF NOT annotator_caller_is_supervisor() THEN
                RAISE EXCEPTION '{REFUSED}' USING ERRCODE = '42501';
            END IF;
            INSERT INTO annotator (name, role) VALUES ('gold', 'gold') ON CONFLICT (name) DO NOTHING;
            RETURN QUERY SELECT * FROM annotator WHERE name = 'gold';
        END $$
        """,
        # label_id NULL adds a label; otherwise that label gets these values.
        f"""
        CREATE OR REPLACE FUNCTION annotator_save_label(label_id integer, new_name text, new_color text,
            new_hotkey text, new_description text, new_position integer, new_archived boolean)
        RETURNS SETOF label
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$ BEGIN
            PERFORM annotator_check_supervisor();
            IF label_id IS NULL THEN
                RETURN QUERY INSERT INTO label (name, color, hotkey, description, position, archived)
                    VALUES (new_name, new_color, new_hotkey, new_description, new_position, new_archived)
                    RETURNING *;
            ELSE
                RETURN QUERY UPDATE label SET name = new_name, color = new_color, hotkey = new_hotkey,
                    description = new_description, position = new_position, archived = new_archived
                    WHERE id = label_id RETURNING *;
            END IF;
        END $$
        """,
    ]


def _notifications(path: str) -> list[str]:
    return [
        "CREATE TABLE annotator_listener (channel text PRIMARY KEY, pid integer NOT NULL, "
        "created_at timestamptz NOT NULL DEFAULT now())",
        # A supervisor's (or the owner's) review window asks for a channel of its own, whose name
        # nobody else can guess or read, and LISTENs on it.
        f"""
        CREATE OR REPLACE FUNCTION annotator_listen() RETURNS text
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$
        DECLARE ch text := 'annotator_' || replace(gen_random_uuid()::text, '-', '');
        BEGIN
            IF NOT (annotator_caller_is_supervisor() OR annotator_caller_is_owner()) THEN
                RAISE EXCEPTION 'permission denied: only supervisors are told of others'' changes'
                    USING ERRCODE = '42501';
            END IF;
            DELETE FROM annotator_listener WHERE pid NOT IN (SELECT pid FROM pg_stat_activity);
            INSERT INTO annotator_listener (channel, pid) VALUES (ch, pg_backend_pid());
            RETURN ch;
        END $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_notify_listeners(payload text) RETURNS void
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$
        DECLARE ch text;
        BEGIN
            FOR ch IN SELECT channel FROM annotator_listener LOOP
                PERFORM pg_notify(ch, payload);
            END LOOP;
        END $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotator_notify_change() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER {path}
        AS $$ BEGIN PERFORM annotator_notify_listeners(TG_TABLE_NAME); RETURN NULL; END $$
        """,
    ]


def _import_lock(path: str) -> list[str]:
    return [
        # Imports take turns by locking this table (store/bulk.py): the owner directly, a
        # supervisor through the function (only imports that may add documents need the turn).
        # An annotator cannot lock it at all, so cannot keep the owner's imports waiting.
        "CREATE TABLE annotator_import_lock ()",
        f"""
        CREATE OR REPLACE FUNCTION annotator_lock_imports() RETURNS boolean
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$ BEGIN
            IF NOT annotator_caller_is_supervisor() THEN
                RETURN false;
            END IF;
            LOCK TABLE annotator_import_lock IN EXCLUSIVE MODE;
            RETURN true;
        END $$
        """,
    ]


def _document_guard(path: str) -> list[str]:
    return [
        # Invoker: current_user is whoever changes the row (the owner inside definer functions).
        f"""
        CREATE OR REPLACE FUNCTION annotator_guard_document() RETURNS trigger
        LANGUAGE plpgsql {path}
        AS $$ BEGIN
            IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END IF;
            IF TG_OP = 'DELETE' THEN
                RAISE EXCEPTION 'permission denied: only the owner deletes a document (document %)', OLD.id
                    USING ERRCODE = '42501';
            END IF;
            IF NEW.id <> OLD.id OR NEW.text IS DISTINCT FROM OLD.text OR NEW.sha256 IS DISTINCT FROM OLD.sha256
               OR NEW.length IS DISTINCT FROM OLD.length THEN
                RAISE EXCEPTION 'permission denied: a document''s text is fixed once imported (document %)', OLD.id
                    USING ERRCODE = '42501';
            END IF;
            RETURN NEW;
        END $$
        """,
        "CREATE TRIGGER document_guard BEFORE UPDATE OR DELETE ON document "
        "FOR EACH ROW EXECUTE FUNCTION annotator_guard_document()",
    ]


def _views(schema: str) -> list[str]:
    return [
        f"CREATE SCHEMA {API_SCHEMA}",
        f"CREATE VIEW {API_SCHEMA}.span AS SELECT * FROM {schema}.annotator_visible_spans()",
        f"CREATE VIEW {API_SCHEMA}.document_status AS SELECT * FROM {schema}.annotator_visible_statuses()",
    ]


def _team_roles(bind: object, schema: str) -> list[str]:
    """Every role (or PUBLIC) granted anything on this schema's tables or sequences, or in the
    owner's default privileges: the team, set up as the docs of 0003 said."""
    rows = bind.execute(  # type: ignore[attr-defined]
        text(
            """
            SELECT DISTINCT CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END
            FROM (
                SELECT (aclexplode(c.relacl)).grantee AS grantee, c.relowner AS owner
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = :schema AND c.relkind IN ('r', 'S', 'v', 'p') AND c.relacl IS NOT NULL
                UNION ALL
                SELECT (aclexplode(d.defaclacl)).grantee, d.defaclrole
                FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
                WHERE d.defaclrole = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                  AND (n.nspname = :schema OR d.defaclnamespace = 0)
            ) g LEFT JOIN pg_roles r ON r.oid = g.grantee
            WHERE g.grantee <> g.owner
            ORDER BY 1
            """
        ),
        {"schema": schema},
    ).scalars()
    return list(rows)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    raw_schema = bind.execute(text("SELECT current_schema()")).scalar_one()
    schema = bind.execute(text("SELECT quote_ident(current_schema())")).scalar_one()
    path = f"SET search_path = {schema}, pg_temp"
    team = _team_roles(bind, raw_schema)
    for role in team:
        # What docs/team-setup.md used to grant: gone, including for tables made later.
        bind.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}"))
        bind.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}"))
        bind.execute(text(f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} REVOKE ALL ON TABLES FROM {role}"))
        bind.execute(text(f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} REVOKE ALL ON SEQUENCES FROM {role}"))
        bind.execute(text(f"ALTER DEFAULT PRIVILEGES REVOKE ALL ON TABLES FROM {role}"))
        bind.execute(text(f"ALTER DEFAULT PRIVILEGES REVOKE ALL ON SEQUENCES FROM {role}"))
    for statement in [
        *_identity(path),
        *_reads(path),
        *_writes(path),
        *_notifications(path),
        *_import_lock(path),
        *_document_guard(path),
        *_views(schema),
    ]:
        bind.execute(text(statement))
    # Members may no longer act as a group role, nor add rows at all (the functions do).
    bind.execute(text("DROP POLICY IF EXISTS annotator_insert ON annotator"))
    bind.execute(
        text(
            "CREATE POLICY annotator_insert ON annotator FOR INSERT TO PUBLIC WITH CHECK ("
            "(name = session_user::text AND current_user = session_user AND role = 'annotator' "
            "AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND rolcanlogin)) "
            "OR ((SELECT annotator_is_supervisor()) AND name = 'gold' AND role = 'gold'))"
        )
    )
    # Functions are executable by PUBLIC by default; the internal ones only by the owner.
    internal = bind.execute(
        text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = :schema AND p.proname LIKE 'annotator\\_%'"
        ),
        {"schema": raw_schema},
    ).scalars()
    public = {f.replace(" ", "") for f in TEAM_FUNCTIONS} | {
        "annotator_current_id()",
        "annotator_is_supervisor()",
        "annotator_id_of(text)",
        "annotator_role_of(text)",
        "annotator_gold_id()",
        "annotator_caller_id()",
        "annotator_caller_is_supervisor()",
        "annotator_caller_is_owner()",
        "annotator_may_write(integer)",
        "annotator_may_read(integer)",
        "annotator_check_write(integer)",
        "annotator_check_supervisor()",
        "annotator_refuse_span(integer)",
    }
    for signature in internal:
        bare = signature.replace(" ", "").replace(f"{raw_schema}.", "")
        if bare not in public:
            bind.execute(text(f"REVOKE EXECUTE ON FUNCTION {signature} FROM PUBLIC"))
    for role in team:
        bind.execute(text(f"GRANT USAGE ON SCHEMA {API_SCHEMA} TO {role}"))
        bind.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA {API_SCHEMA} TO {role}"))
        for table in READABLE_TABLES:
            bind.execute(text(f"GRANT SELECT ON {table} TO {role}"))
