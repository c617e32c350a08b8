-- Segment export jobs (docs/exports.md). A job is worked on by the node holding its lease; progress is
-- checkpointed per file, so a job interrupted by a crash resumes after its last complete file.

CREATE TABLE export_jobs (
  object_prefix     TEXT    PRIMARY KEY,       -- Braze's object_prefix: <uuid>-<unix seconds>
  segment_id        TEXT    NOT NULL,
  filter            TEXT    NOT NULL,          -- the segment's filter when the export was requested
  requested_at      INTEGER NOT NULL,          -- relative dates of the filter are evaluated at this time
  fields            TEXT    NOT NULL,          -- JSON array; empty means every field
  custom_attributes TEXT    NOT NULL,          -- JSON array of names
  output_format     TEXT    NOT NULL,          -- zip | gzip
  callback_endpoint TEXT,
  state             TEXT    NOT NULL,          -- queued | running | succeeded | failed
  files_written     INTEGER NOT NULL,
  users_written     INTEGER NOT NULL,
  last_member_key   INTEGER NOT NULL,          -- users.user_id of the last user written
  error             TEXT,
  finished_at       INTEGER,
  callback_state    TEXT    NOT NULL,          -- none | pending | sent | failed
  lease_owner       TEXT,
  lease_until       INTEGER
);
-- One export per segment writes at a time (a second request answers 429).
CREATE UNIQUE INDEX export_jobs_writing_segment ON export_jobs (segment_id) WHERE state IN ('queued', 'running');
CREATE INDEX export_jobs_unfinished ON export_jobs (requested_at)
  WHERE state IN ('queued', 'running') OR callback_state = 'pending';
