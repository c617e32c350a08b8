-- A key's own rate limits, where the operator gave it some: comma-separated group=limit pairs such as
-- users.track=unlimited,users.export.ids=40/1s. Empty means the server's limits apply.
ALTER TABLE api_keys ADD COLUMN rate_limits TEXT NOT NULL DEFAULT '';
