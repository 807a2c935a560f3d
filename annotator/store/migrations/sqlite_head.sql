PRAGMA application_id=1097756271;
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE document (
	id INTEGER NOT NULL, 
	uid VARCHAR(512) NOT NULL, 
	title VARCHAR NOT NULL, 
	text VARCHAR NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	meta JSON NOT NULL, 
	position INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, length INTEGER DEFAULT '0' NOT NULL, 
	PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_document_uid ON document (uid);
CREATE INDEX ix_document_position ON document (position);
CREATE INDEX ix_document_sha256 ON document (sha256);
CREATE TABLE label (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	color VARCHAR(9) NOT NULL, 
	hotkey VARCHAR(1), 
	description VARCHAR NOT NULL, 
	position INTEGER NOT NULL, 
	archived BOOLEAN NOT NULL, kind VARCHAR(10) DEFAULT 'span' NOT NULL, label_set VARCHAR(200) DEFAULT '' NOT NULL, multiple BOOLEAN DEFAULT 0 NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);
CREATE TABLE annotator (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	role VARCHAR(20) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);
CREATE TABLE span (
	id INTEGER NOT NULL, 
	document_id INTEGER NOT NULL, 
	annotator_id INTEGER NOT NULL, 
	label_id INTEGER NOT NULL, 
	start INTEGER NOT NULL, 
	"end" INTEGER NOT NULL, 
	note VARCHAR, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_span UNIQUE (document_id, annotator_id, label_id, start, "end"), 
	CONSTRAINT ck_span_offsets CHECK (0 <= start AND start < "end"), 
	FOREIGN KEY(document_id) REFERENCES document (id) ON DELETE CASCADE, 
	FOREIGN KEY(annotator_id) REFERENCES annotator (id) ON DELETE CASCADE, 
	FOREIGN KEY(label_id) REFERENCES label (id)
);
CREATE INDEX ix_span_annotator_id ON span (annotator_id);
CREATE TABLE document_status (
	document_id INTEGER NOT NULL, 
	annotator_id INTEGER NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	updated_at DATETIME NOT NULL, guidelines_version INTEGER, 
	PRIMARY KEY (document_id, annotator_id), 
	FOREIGN KEY(document_id) REFERENCES document (id) ON DELETE CASCADE, 
	FOREIGN KEY(annotator_id) REFERENCES annotator (id) ON DELETE CASCADE
);
CREATE INDEX ix_document_status_annotator_id ON document_status (annotator_id);
CREATE TABLE suggestion (
	id INTEGER NOT NULL, 
	document_id INTEGER NOT NULL, 
	label_id INTEGER NOT NULL, 
	start INTEGER NOT NULL, 
	"end" INTEGER NOT NULL, 
	score FLOAT NOT NULL, 
	source VARCHAR(200) NOT NULL, 
	version VARCHAR(200) NOT NULL, 
	annotator_id INTEGER, 
	from_others BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_suggestion_offsets CHECK (0 <= start AND start < "end"), 
	CONSTRAINT ck_suggestion_score CHECK (0 <= score AND score <= 1), 
	FOREIGN KEY(document_id) REFERENCES document (id) ON DELETE CASCADE, 
	FOREIGN KEY(label_id) REFERENCES label (id) ON DELETE CASCADE, 
	FOREIGN KEY(annotator_id) REFERENCES annotator (id) ON DELETE CASCADE
);
CREATE INDEX ix_suggestion_document ON suggestion (document_id, source);
CREATE TABLE suggestion_rejection (
	id INTEGER NOT NULL, 
	annotator_id INTEGER NOT NULL, 
	label_id INTEGER NOT NULL, 
	phrase VARCHAR NOT NULL, 
	document_id INTEGER NOT NULL, 
	start INTEGER NOT NULL, 
	"end" INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_suggestion_rejection UNIQUE (annotator_id, document_id, label_id, start, "end"), 
	FOREIGN KEY(annotator_id) REFERENCES annotator (id) ON DELETE CASCADE, 
	FOREIGN KEY(label_id) REFERENCES label (id) ON DELETE CASCADE, 
	FOREIGN KEY(document_id) REFERENCES document (id) ON DELETE CASCADE
);
CREATE TABLE suggestion_policy (
	id INTEGER NOT NULL, 
	show_others BOOLEAN NOT NULL, 
	train_on_gold BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_suggestion_policy_one_row CHECK (id = 1)
);
CREATE TABLE document_label (
	document_id INTEGER NOT NULL, 
	annotator_id INTEGER NOT NULL, 
	label_id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (document_id, annotator_id, label_id), 
	FOREIGN KEY(document_id) REFERENCES document (id) ON DELETE CASCADE, 
	FOREIGN KEY(annotator_id) REFERENCES annotator (id) ON DELETE CASCADE, 
	FOREIGN KEY(label_id) REFERENCES label (id)
);
CREATE INDEX ix_document_label_annotator_id ON document_label (annotator_id);
CREATE TABLE document_comment (
	document_id INTEGER NOT NULL, 
	annotator_id INTEGER NOT NULL, 
	text VARCHAR NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (document_id, annotator_id), 
	FOREIGN KEY(document_id) REFERENCES document (id) ON DELETE CASCADE, 
	FOREIGN KEY(annotator_id) REFERENCES annotator (id) ON DELETE CASCADE
);
CREATE INDEX ix_document_comment_annotator_id ON document_comment (annotator_id);
CREATE TABLE guideline_version (
	id INTEGER NOT NULL, 
	label_id INTEGER NOT NULL, 
	label_name VARCHAR(200) NOT NULL, 
	description VARCHAR NOT NULL, 
	author VARCHAR(200) NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(label_id) REFERENCES label (id)
);
CREATE TRIGGER document_status_guidelines_insert AFTER INSERT ON document_status
    BEGIN
        UPDATE document_status SET guidelines_version = CASE WHEN NEW.status = 'done'
            THEN (SELECT max(id) FROM guideline_version) END
        WHERE document_id = NEW.document_id AND annotator_id = NEW.annotator_id;
    END;
CREATE TRIGGER document_status_guidelines_update AFTER UPDATE OF status ON document_status
    WHEN NEW.status IS NOT OLD.status
    BEGIN
        UPDATE document_status SET guidelines_version = CASE WHEN NEW.status = 'done'
            THEN (SELECT max(id) FROM guideline_version) END
        WHERE document_id = NEW.document_id AND annotator_id = NEW.annotator_id;
    END;
CREATE TABLE assignment (
	id INTEGER NOT NULL, 
	document_id INTEGER NOT NULL, 
	annotator_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	batch VARCHAR(200) DEFAULT '' NOT NULL, 
	sample BOOLEAN DEFAULT 0 NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_assignment UNIQUE (annotator_id, document_id), 
	FOREIGN KEY(document_id) REFERENCES document (id) ON DELETE CASCADE, 
	FOREIGN KEY(annotator_id) REFERENCES annotator (id) ON DELETE CASCADE
);
CREATE INDEX ix_assignment_document_id ON assignment (document_id);
CREATE TABLE span_tally (
	annotator_id INTEGER NOT NULL, 
	label_id INTEGER NOT NULL, 
	hour VARCHAR(13) NOT NULL, 
	n INTEGER NOT NULL, 
	PRIMARY KEY (annotator_id, label_id, hour)
);
CREATE TRIGGER span_tally_insert AFTER INSERT ON span BEGIN
        INSERT INTO span_tally (annotator_id, label_id, hour, n)
        VALUES (NEW.annotator_id, NEW.label_id, substr(NEW.created_at, 1, 13), 1)
        ON CONFLICT (annotator_id, label_id, hour) DO UPDATE SET n = n + 1;
    END;
CREATE TRIGGER span_tally_delete AFTER DELETE ON span BEGIN
        UPDATE span_tally SET n = n - 1 WHERE annotator_id = OLD.annotator_id
            AND label_id = OLD.label_id AND hour = substr(OLD.created_at, 1, 13);
    END;
CREATE TRIGGER span_tally_update AFTER UPDATE OF annotator_id, label_id, created_at ON span BEGIN
        UPDATE span_tally SET n = n - 1 WHERE annotator_id = OLD.annotator_id
            AND label_id = OLD.label_id AND hour = substr(OLD.created_at, 1, 13);
        INSERT INTO span_tally (annotator_id, label_id, hour, n)
        VALUES (NEW.annotator_id, NEW.label_id, substr(NEW.created_at, 1, 13), 1)
        ON CONFLICT (annotator_id, label_id, hour) DO UPDATE SET n = n + 1;
    END;
CREATE VIRTUAL TABLE document_search USING fts5(title, text, content='document', content_rowid='id', tokenize='trigram', detail='none');
CREATE INDEX ix_document_title_nocase ON document (title COLLATE NOCASE, position, id);
CREATE TRIGGER document_search_insert AFTER INSERT ON document BEGIN INSERT INTO document_search(rowid, title, text) VALUES (new.id, new.title, new.text); END;
CREATE TRIGGER document_search_delete AFTER DELETE ON document BEGIN INSERT INTO document_search(document_search, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END;
CREATE TRIGGER document_search_update AFTER UPDATE OF title, text ON document BEGIN INSERT INTO document_search(document_search, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); INSERT INTO document_search(rowid, title, text) VALUES (new.id, new.title, new.text); END;
INSERT INTO "alembic_version" VALUES ('0010');
INSERT INTO "label" VALUES (1, 'strategic messaging', '#4e79a7', '1', 'Statements crafted to project intent, alignment or resolve.', 0, 0, 'span', '', 0);
INSERT INTO "label" VALUES (2, 'economic outcome', '#59a14f', '2', 'Concrete economic results: deals, trade figures, investment, prices.', 1, 0, 'span', '', 0);
INSERT INTO "label" VALUES (3, 'leverage', '#f28e2b', '3', 'Means one side uses to press the other: dependence, bargaining power.', 2, 0, 'span', '', 0);
INSERT INTO "label" VALUES (4, 'framing', '#b07aa1', '4', 'How events are presented: word choice and narrative that steer reading.', 3, 0, 'span', '', 0);
INSERT INTO "suggestion_policy" VALUES (1, 0, 0);
