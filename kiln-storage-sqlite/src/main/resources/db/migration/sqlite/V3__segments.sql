-- Segment definitions. The filter is stored as its JSON text (docs/segments.md) and compiled to SQL
-- at query time, so relative dates are always evaluated against the time of the query.

CREATE TABLE segments (
  segment_id  TEXT    PRIMARY KEY,          -- a random UUID, Braze's "segment API identifier"
  name        TEXT    NOT NULL,
  description TEXT,                         -- the operator's own words (Braze's text_description)
  tags        TEXT    NOT NULL,             -- JSON array of strings
  filter      TEXT    NOT NULL,             -- JSON filter
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  archived_at INTEGER                       -- NULL while active; archived segments are kept
);
CREATE INDEX segments_active_created ON segments (created_at, segment_id) WHERE archived_at IS NULL;
