-- Identifiers in lookup tables, as on PostgreSQL (its V5, docs/ARCHITECTURE.md "Identity layout"):
-- every identifier of a user but user_id gets a table keyed by the identifier and naming the user,
-- and the shared JDBC code resolves identifiers here, then reads the user by user_id. One layout
-- and one code path for both backends; on SQLite (one writer) nothing races, so the re-checks after
-- each lock always pass.
--
-- No foreign key from a lookup table to users, as on PostgreSQL: Kiln keeps the rows exact itself,
-- in the transaction that creates, changes, merges or deletes the user. Existing data is copied.
--
-- Unlike PostgreSQL, users keeps its UNIQUE braze_id and external_id and user_aliases its key
-- (alias_label, alias_name): dropping them means rebuilding users, and with foreign keys on (Kiln
-- turns them on, and a migration's transaction cannot turn them off) dropping the old users table
-- would delete its events, purchases and aliases by their ON DELETE CASCADE. They only repeat what
-- the lookup keys enforce, and SQLite is never distributed.

-- External ids, primary and deprecated (a renamed user's old ids, formerly deprecated_external_ids)
-- in one table: an id is a user's primary one or a deprecated one, never both.
CREATE TABLE user_external_ids (
  external_id TEXT    PRIMARY KEY,
  user_id     INTEGER NOT NULL,
  deprecated  INTEGER NOT NULL DEFAULT 0   -- boolean
);
INSERT INTO user_external_ids (external_id, user_id)
  SELECT external_id, user_id FROM users WHERE external_id IS NOT NULL;
INSERT INTO user_external_ids (external_id, user_id, deprecated)
  SELECT external_id, user_id, 1 FROM deprecated_external_ids;
-- A deleted user's deprecated ids are found by user_id.
CREATE INDEX user_external_ids_user ON user_external_ids (user_id);
DROP TABLE deprecated_external_ids;

CREATE TABLE user_braze_ids (
  braze_id TEXT    PRIMARY KEY,
  user_id  INTEGER NOT NULL
);
INSERT INTO user_braze_ids (braze_id, user_id) SELECT braze_id, user_id FROM users;

-- Alias lookups; user_aliases stays, per user, for the segment filters and exports.
CREATE TABLE user_alias_ids (
  alias_name  TEXT    NOT NULL,
  alias_label TEXT    NOT NULL,
  user_id     INTEGER NOT NULL,
  PRIMARY KEY (alias_name, alias_label)
);
INSERT INTO user_alias_ids (alias_name, alias_label, user_id)
  SELECT alias_name, alias_label, user_id FROM user_aliases;

-- Emails and phones name several users (Braze picks among them), so the key includes user_id. They
-- replace users' email and phone indexes for lookups; the columns stay on users for segment filters.
CREATE TABLE user_emails (
  email   TEXT    NOT NULL,
  user_id INTEGER NOT NULL,
  PRIMARY KEY (email, user_id)
);
INSERT INTO user_emails (email, user_id) SELECT email, user_id FROM users WHERE email IS NOT NULL;
CREATE TABLE user_phones (
  phone   TEXT    NOT NULL,
  user_id INTEGER NOT NULL,
  PRIMARY KEY (phone, user_id)
);
INSERT INTO user_phones (phone, user_id) SELECT phone, user_id FROM users WHERE phone IS NOT NULL;
DROP INDEX users_email;
DROP INDEX users_phone;
