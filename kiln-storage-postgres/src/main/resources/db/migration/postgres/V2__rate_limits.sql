-- A key's own rate limits, where the operator gave it some: comma-separated group=limit pairs such as
-- users.track=unlimited,users.export.ids=40/1s. Empty means the server's limits apply.
ALTER TABLE api_keys ADD COLUMN rate_limits TEXT NOT NULL DEFAULT '';

-- Rate-limit buckets, shared by every node (Bucket4j's PostgreSQL layout: the state is Bucket4j's own
-- serialised form). A row is named after its key, endpoint group and limit, and may be deleted once
-- expires_at (epoch ms) has passed: by then the bucket would be full again anyway.
CREATE TABLE rate_limit_buckets (
  id         TEXT   PRIMARY KEY,
  state      BYTEA,
  expires_at BIGINT
);
CREATE INDEX rate_limit_buckets_expiry ON rate_limit_buckets (expires_at);
