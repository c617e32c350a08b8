-- Profiles are kept in SQLite's binary JSON form (JSONB, SQLite 3.45+): segment filters read a few
-- fields of every profile, and JSONB saves parsing the whole text each time. Reads convert back
-- with json(profile).
UPDATE users SET profile = jsonb(profile);
