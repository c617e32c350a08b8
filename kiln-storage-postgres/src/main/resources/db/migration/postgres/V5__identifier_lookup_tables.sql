-- Identifiers in lookup tables (docs/ARCHITECTURE.md, "Identity layout"). Every identifier of a user
-- but user_id gets a table keyed by the identifier and naming the user, and its uniqueness is that
-- primary key, not a unique column of users. A distributed PostgreSQL (Citus) enforces uniqueness
-- only on keys that contain the distribution column: users is distributed by user_id, each lookup
-- table by its identifier, so both keep their constraints. Writers lock a user only by user_id
-- (one row, one shard): they resolve an identifier here without a lock, lock the user, and check it
-- still holds the identifier.
--
-- No foreign key from a lookup table to users (Citus refuses one between tables distributed by
-- different columns), hence no ON DELETE CASCADE: Kiln keeps the rows exact itself, in the
-- transaction that creates, changes, merges or deletes the user, while holding the user's lock.
-- Existing data is copied; nothing is lost.

-- External ids, primary and deprecated (a renamed user's old ids, formerly deprecated_external_ids)
-- in one table: an id is a user's primary one or a deprecated one, never both, and the one primary
-- key now enforces it.
CREATE TABLE user_external_ids (
  external_id TEXT    PRIMARY KEY,
  user_id     BIGINT  NOT NULL,
  deprecated  BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO user_external_ids (external_id, user_id)
  SELECT external_id, user_id FROM users WHERE external_id IS NOT NULL;
INSERT INTO user_external_ids (external_id, user_id, deprecated)
  SELECT external_id, user_id, true FROM deprecated_external_ids;
-- A deleted user's deprecated ids are found by user_id.
CREATE INDEX user_external_ids_user ON user_external_ids (user_id);
DROP TABLE deprecated_external_ids;

CREATE TABLE user_braze_ids (
  braze_id TEXT   PRIMARY KEY,
  user_id  BIGINT NOT NULL
);
INSERT INTO user_braze_ids (braze_id, user_id) SELECT braze_id, user_id FROM users;

-- Alias uniqueness and lookups. user_aliases stays, per user, for the segment filters' alias
-- predicates and the export's alias reads (both by user_id, colocated with users on Citus).
CREATE TABLE user_alias_ids (
  alias_name  TEXT   NOT NULL,
  alias_label TEXT   NOT NULL,
  user_id     BIGINT NOT NULL,
  PRIMARY KEY (alias_name, alias_label)
);
INSERT INTO user_alias_ids (alias_name, alias_label, user_id)
  SELECT alias_name, alias_label, user_id FROM user_aliases;
-- A user holds at most one alias name per label; the key leads with user_id, its distribution column.
ALTER TABLE user_aliases DROP CONSTRAINT user_aliases_pkey;
DROP INDEX user_aliases_user_label;
ALTER TABLE user_aliases ADD PRIMARY KEY (user_id, alias_label);

-- Emails and phones name several users (Braze picks among them), so the key includes user_id. They
-- replace users' email and phone indexes for lookups; the columns stay on users for segment filters.
CREATE TABLE user_emails (
  email   TEXT   NOT NULL,
  user_id BIGINT NOT NULL,
  PRIMARY KEY (email, user_id)
);
INSERT INTO user_emails (email, user_id) SELECT email, user_id FROM users WHERE email IS NOT NULL;
CREATE TABLE user_phones (
  phone   TEXT   NOT NULL,
  user_id BIGINT NOT NULL,
  PRIMARY KEY (phone, user_id)
);
INSERT INTO user_phones (phone, user_id) SELECT phone, user_id FROM users WHERE phone IS NOT NULL;
DROP INDEX users_email;
DROP INDEX users_phone;

-- users keeps its identifier columns (segment filters and exports read them) but not their unique
-- constraints, which the lookup tables' keys replace.
ALTER TABLE users DROP CONSTRAINT users_braze_id_key;
ALTER TABLE users DROP CONSTRAINT users_external_id_key;
