-- Raw custom events and purchases, one row per occurrence, so segments can filter on time windows
-- and properties. Profile aggregates (first, last, count) live in users.profile.

CREATE TABLE custom_events (
  event_id   INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  name       TEXT    NOT NULL,
  time       INTEGER NOT NULL,             -- epoch milliseconds
  app_id     TEXT,
  properties TEXT    NOT NULL              -- JSON object
);
CREATE INDEX custom_events_user_name_time ON custom_events (user_id, name, time);

CREATE TABLE purchases (
  purchase_id INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  product_id  TEXT    NOT NULL,
  currency    TEXT    NOT NULL,
  price       TEXT    NOT NULL,            -- decimal as text: exact, as sent
  quantity    INTEGER NOT NULL,
  time        INTEGER NOT NULL,
  app_id      TEXT,
  properties  TEXT    NOT NULL
);
CREATE INDEX purchases_user_product_time ON purchases (user_id, product_id, time);
