-- Kiln schema v1 for SQLite: API keys and user profiles.
-- Times are epoch milliseconds (INTEGER) so the same SQL works on every backend.

CREATE TABLE api_keys (
  key_id      INTEGER PRIMARY KEY,
  name        TEXT    NOT NULL,
  secret_hash TEXT    NOT NULL,            -- SHA-256 of the secret, hex; the secret is never stored
  permissions TEXT    NOT NULL,            -- comma-separated Braze permission names
  allowed_ips TEXT    NOT NULL,            -- comma-separated CIDR ranges; empty means any address
  created_at  INTEGER NOT NULL,
  revoked_at  INTEGER                      -- NULL while active; revoked rows stay for the audit trail
);
-- Names and secrets are unique among active keys only, so a revoked name can be given again.
CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;
CREATE UNIQUE INDEX api_keys_active_secret ON api_keys (secret_hash) WHERE revoked_at IS NULL;

CREATE TABLE users (
  user_id       INTEGER PRIMARY KEY,       -- internal; the distribution key on scale-out backends
  braze_id      TEXT    NOT NULL UNIQUE,
  external_id   TEXT    UNIQUE,
  email         TEXT,                      -- copies of the profile's email and phone, for lookup
  phone         TEXT,
  random_bucket INTEGER NOT NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  profile       TEXT    NOT NULL           -- JSON: {"attributes":{...},"custom_attributes":{...}}
);
CREATE INDEX users_email ON users (email) WHERE email IS NOT NULL;
CREATE INDEX users_phone ON users (phone) WHERE phone IS NOT NULL;

CREATE TABLE user_aliases (
  alias_label TEXT    NOT NULL,
  alias_name  TEXT    NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  PRIMARY KEY (alias_label, alias_name)
);
-- A user holds at most one alias name per label.
CREATE UNIQUE INDEX user_aliases_user_label ON user_aliases (user_id, alias_label);
