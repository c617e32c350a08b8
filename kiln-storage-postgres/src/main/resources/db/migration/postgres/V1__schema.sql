-- Kiln schema v1 for PostgreSQL: the SQLite schema (V1-V5 there) in one step, with PostgreSQL's types.
-- Times are epoch milliseconds (BIGINT), as on SQLite, so the shared SQL works on both.
--
-- Ready for Citus (docs/scaling.md): users, user_aliases, custom_events and purchases are the per-user
-- tables and carry user_id, their distribution column; api_keys, segments and export_jobs are small
-- and would be reference tables.

CREATE TABLE api_keys (
  key_id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        TEXT   NOT NULL,
  secret_hash TEXT   NOT NULL,             -- SHA-256 of the secret, hex; the secret is never stored
  permissions TEXT   NOT NULL,             -- comma-separated Braze permission names
  allowed_ips TEXT   NOT NULL,             -- comma-separated CIDR ranges; empty means any address
  created_at  BIGINT NOT NULL,
  revoked_at  BIGINT                       -- NULL while active; revoked rows stay for the audit trail
);
-- Names and secrets are unique among active keys only, so a revoked name can be given again.
CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;
CREATE UNIQUE INDEX api_keys_active_secret ON api_keys (secret_hash) WHERE revoked_at IS NULL;

CREATE TABLE users (
  user_id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  braze_id      TEXT   NOT NULL UNIQUE,
  external_id   TEXT   UNIQUE,
  email         TEXT,                      -- copies of the profile's email and phone, for lookup
  phone         TEXT,
  random_bucket INTEGER NOT NULL,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  profile       JSONB  NOT NULL            -- {"attributes":{...},"custom_attributes":{...},...}
);
CREATE INDEX users_email ON users (email) WHERE email IS NOT NULL;
CREATE INDEX users_phone ON users (phone) WHERE phone IS NOT NULL;

CREATE TABLE user_aliases (
  alias_label TEXT   NOT NULL,
  alias_name  TEXT   NOT NULL,
  user_id     BIGINT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  PRIMARY KEY (alias_label, alias_name)
);
-- A user holds at most one alias name per label.
CREATE UNIQUE INDEX user_aliases_user_label ON user_aliases (user_id, alias_label);

-- Raw custom events and purchases, one row per occurrence, so segments can filter on time windows
-- and properties. Profile aggregates (first, last, count) live in users.profile.
CREATE TABLE custom_events (
  user_id    BIGINT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  event_id   BIGINT GENERATED ALWAYS AS IDENTITY,
  name       TEXT   NOT NULL,
  time       BIGINT NOT NULL,
  app_id     TEXT,
  properties JSONB  NOT NULL,
  PRIMARY KEY (user_id, event_id)
);
CREATE INDEX custom_events_user_name_time ON custom_events (user_id, name, time);

CREATE TABLE purchases (
  user_id     BIGINT  NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  purchase_id BIGINT  GENERATED ALWAYS AS IDENTITY,
  product_id  TEXT    NOT NULL,
  currency    TEXT    NOT NULL,
  price       TEXT    NOT NULL,            -- decimal as text: exact, as sent (summed as numeric)
  quantity    INTEGER NOT NULL,
  time        BIGINT  NOT NULL,
  app_id      TEXT,
  properties  JSONB   NOT NULL,
  PRIMARY KEY (user_id, purchase_id)
);
CREATE INDEX purchases_user_product_time ON purchases (user_id, product_id, time);

-- Segment definitions; the filter is kept as the text it was given (docs/segments.md).
CREATE TABLE segments (
  segment_id  TEXT   PRIMARY KEY,
  seq         BIGINT GENERATED ALWAYS AS IDENTITY, -- orders segments created in the same millisecond
  name        TEXT   NOT NULL,
  description TEXT,
  tags        TEXT   NOT NULL,             -- JSON array of strings
  filter      TEXT   NOT NULL,             -- JSON filter
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL,
  archived_at BIGINT
);
CREATE INDEX segments_active_created ON segments (created_at, seq) WHERE archived_at IS NULL;

-- Segment export jobs (docs/exports.md): claimed with FOR UPDATE SKIP LOCKED by the node that works
-- on them, under a lease that another node takes over when it runs out.
CREATE TABLE export_jobs (
  object_prefix     TEXT    PRIMARY KEY,
  segment_id        TEXT    NOT NULL,
  filter            TEXT    NOT NULL,
  requested_at      BIGINT  NOT NULL,
  fields            TEXT    NOT NULL,
  custom_attributes TEXT    NOT NULL,
  output_format     TEXT    NOT NULL,
  callback_endpoint TEXT,
  state             TEXT    NOT NULL,
  files_written     INTEGER NOT NULL,
  users_written     BIGINT  NOT NULL,
  last_member_key   BIGINT  NOT NULL,
  error             TEXT,
  finished_at       BIGINT,
  callback_state    TEXT    NOT NULL,
  lease_owner       TEXT,
  lease_until       BIGINT
);
CREATE UNIQUE INDEX export_jobs_writing_segment ON export_jobs (segment_id) WHERE state IN ('queued', 'running');
CREATE INDEX export_jobs_unfinished ON export_jobs (requested_at)
  WHERE state IN ('queued', 'running') OR callback_state = 'pending';
