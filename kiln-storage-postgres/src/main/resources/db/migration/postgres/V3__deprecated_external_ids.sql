-- External ids a user was renamed from (POST /users/external_ids/rename): each keeps naming its user
-- until POST /users/external_ids/remove lets it go. An id is a user's primary id (users.external_id) or
-- a deprecated one, never both: the rename checks both tables in its transaction.
-- Like the unique index on users.external_id, this table is keyed by the id, not by user_id: on Citus
-- it becomes a lookup table (docs/scaling.md).
CREATE TABLE deprecated_external_ids (
  external_id TEXT   PRIMARY KEY,
  user_id     BIGINT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE
);
CREATE INDEX deprecated_external_ids_user ON deprecated_external_ids (user_id);
