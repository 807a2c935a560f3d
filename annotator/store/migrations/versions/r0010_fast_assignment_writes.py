"""Writing a whole assignment plan fast on PostgreSQL (issue 13: 100,000 documents in <= 5 s).

Revision 0008's ``annotator_write_assignments`` inserted the plan in one statement, yet the
server spent most of it in the two foreign-key triggers, which run once per row: 1.5 s of the
2.6 s a 100,000-row insert took (EXPLAIN ANALYZE), and the plan of 100,000 documents with a 2%
sample to 20 people is 138,000 rows. The same function, same arguments (one call per plan: the
removed pairs and the added rows as two JSON arrays), now:

- reads the JSON once into arrays;
- when the function's owner may set ``session_replication_role`` (a superuser, or a role granted
  SET on it, PostgreSQL 15+; as the import does, store_writer.py), checks the references once per
  statement instead of once per row: it locks every referenced document and annotator FOR KEY
  SHARE (the lock the triggers take, so none can be deleted before the plan commits), refuses a
  missing one with the triggers' own error (foreign_key_violation, naming the id), and inserts
  with the triggers off for that statement only (the setting is put back at once);
- otherwise keeps the triggers (the same rows, the old speed).

Who may call it is unchanged: supervisors (team members, through SECURITY DEFINER) and the owner.
SQLite has nothing to change.

Revision ID: 0010
Revises: 0009
"""

from alembic import op
from sqlalchemy import text

revision = "0010"
down_revision = "0009"

ONLY_SUPERVISORS = "permission denied: only a supervisor assigns documents"


def _function(path: str, *, fast: bool) -> str:
    checks = """
            -- Each reference once: locked as the triggers would lock it, and there.
            PERFORM 1 FROM document WHERE id = ANY(docs) FOR KEY SHARE;
            PERFORM 1 FROM annotator WHERE id = ANY(anns) FOR KEY SHARE;
            SELECT x INTO missing FROM unnest(docs) x WHERE NOT EXISTS (SELECT 1 FROM document WHERE id = x) LIMIT 1;
            IF missing IS NOT NULL THEN
                RAISE EXCEPTION 'insert or update on table "assignment" violates foreign key constraint '
                    '"assignment_document_id_fkey"' USING ERRCODE = '23503',
                    DETAIL = 'Key (document_id)=(' || missing || ') is not present in table "document".';
            END IF;
            SELECT x INTO missing FROM unnest(anns) x WHERE NOT EXISTS (SELECT 1 FROM annotator WHERE id = x) LIMIT 1;
            IF missing IS NOT NULL THEN
                RAISE EXCEPTION 'insert or update on table "assignment" violates foreign key constraint '
                    '"assignment_annotator_id_fkey"' USING ERRCODE = '23503',
                    DETAIL = 'Key (annotator_id)=(' || missing || ') is not present in table "annotator".';
            END IF;
            old_role := current_setting('session_replication_role');
            PERFORM set_config('session_replication_role', 'replica', true);
    """
    restore = "PERFORM set_config('session_replication_role', old_role, true);"
    may_skip = (
        """
        IF current_setting('server_version_num')::integer >= 150000 THEN
            EXECUTE 'SELECT has_parameter_privilege(''session_replication_role'', ''SET'')' INTO fast;
        ELSE
            SELECT rolsuper INTO fast FROM pg_roles WHERE rolname = current_user;
        END IF;
        """
        if fast
        else "fast := false;"
    )
    return f"""
        CREATE OR REPLACE FUNCTION annotator_write_assignments(removed jsonb, added jsonb) RETURNS integer
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER {path}
        AS $$
        DECLARE
            n integer := 0;
            stamp timestamptz := clock_timestamp();
            docs integer[]; anns integer[]; places integer[]; batches text[]; samples boolean[];
            fast boolean := false;
            missing integer;
            old_role text;
        BEGIN
            IF NOT (annotator_caller_is_supervisor() OR annotator_caller_is_owner()) THEN
                RAISE EXCEPTION '{ONLY_SUPERVISORS}' USING ERRCODE = '42501';
            END IF;
            IF jsonb_array_length(removed) > 0 THEN
                DELETE FROM assignment a USING (
                    SELECT (r->>0)::integer AS d, (r->>1)::integer AS w FROM jsonb_array_elements(removed) r
                ) r WHERE a.document_id = r.d AND a.annotator_id = r.w;
            END IF;
            IF jsonb_array_length(added) = 0 THEN
                RETURN 0;
            END IF;
            SELECT array_agg((r->>0)::integer), array_agg((r->>1)::integer), array_agg((r->>2)::integer),
                   array_agg(r->>3), array_agg((r->>4)::boolean)
                INTO docs, anns, places, batches, samples
                FROM jsonb_array_elements(added) r;
            {may_skip}
            IF fast THEN
                {checks}
            END IF;
            INSERT INTO assignment AS t (document_id, annotator_id, position, batch, sample, created_at)
                SELECT d, w, p, b, s, stamp FROM unnest(docs, anns, places, batches, samples) AS r(d, w, p, b, s)
                ON CONFLICT (annotator_id, document_id) DO UPDATE
                SET position = EXCLUDED.position, batch = EXCLUDED.batch, sample = EXCLUDED.sample;
            GET DIAGNOSTICS n = ROW_COUNT;
            IF fast THEN
                {restore}
            END IF;
            RETURN n;
        END $$
    """


def _path(bind: object) -> str:
    schema = bind.execute(text("SELECT quote_ident(current_schema())")).scalar_one()  # type: ignore[attr-defined]
    return f"SET search_path = {schema}, pg_temp"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    bind.execute(text(_function(_path(bind), fast=True)))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    bind.execute(text(_function(_path(bind), fast=False)))
