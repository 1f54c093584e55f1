-- A waras store at schema version 3, as the migrations 0->1, 1->2 and 2->3
-- of src/lib/store/sqlite.c made it, with a little data. tests/e2e/damaged_store.sh
-- builds a store from it to test the backup taken before a migration.
CREATE TABLE people (  id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',  team TEXT NOT NULL DEFAULT '', timezone TEXT NOT NULL, site TEXT NOT NULL DEFAULT '',  work_days INTEGER NOT NULL DEFAULT 31, work_start INTEGER NOT NULL DEFAULT 480,  work_end INTEGER NOT NULL DEFAULT 1080);
CREATE TABLE identities (  person TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,  kind TEXT NOT NULL, value TEXT NOT NULL COLLATE NOCASE,  PRIMARY KEY (kind, value));
CREATE TABLE sources (  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL,  ingested_at INTEGER NOT NULL, rows INTEGER NOT NULL DEFAULT 0,  skipped INTEGER NOT NULL DEFAULT 0, UNIQUE (kind, sha256));
CREATE TABLE events (  id INTEGER PRIMARY KEY, person TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,  kind TEXT NOT NULL, status TEXT, start INTEGER NOT NULL, "end" INTEGER NOT NULL,  all_day INTEGER NOT NULL DEFAULT 0, source INTEGER REFERENCES sources(id),  source_kind TEXT NOT NULL, source_key TEXT NOT NULL, attrs TEXT,  UNIQUE (person, source_kind, source_key));
CREATE INDEX events_person_start ON events (person, start);
CREATE INDEX events_source ON events (source);
CREATE TABLE survey_responses (  id INTEGER PRIMARY KEY, team TEXT NOT NULL, person TEXT REFERENCES people(id),  taken_on TEXT NOT NULL, instrument TEXT NOT NULL, scores TEXT, answers TEXT,  source INTEGER REFERENCES sources(id), source_key TEXT NOT NULL UNIQUE);
CREATE TABLE plans (  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, team TEXT, created_at INTEGER NOT NULL,  start INTEGER, "end" INTEGER, attrs TEXT);
CREATE TABLE plan_assignments (  plan INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,  person TEXT NOT NULL REFERENCES people(id), role TEXT NOT NULL,  start INTEGER NOT NULL, "end" INTEGER NOT NULL);

ALTER TABLE events ADD COLUMN utc_offset INTEGER;

CREATE TABLE users (  id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE,  role TEXT NOT NULL CHECK (role IN ('member','lead','people-ops','admin')),  person TEXT, password_hash TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE lead_teams (  user INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, team TEXT NOT NULL,  PRIMARY KEY (user, team));
CREATE TABLE sessions (  token_hash TEXT PRIMARY KEY, user INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,  csrf TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE api_tokens (  id INTEGER PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE,  user INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, name TEXT NOT NULL,  created_at INTEGER NOT NULL, expires_at INTEGER, revoked INTEGER NOT NULL DEFAULT 0);

INSERT INTO people (id, name, email, team, timezone) VALUES
  ('ana', 'Ana Putri', 'ana@lab.example', 'inference', 'Asia/Jakarta'),
  ('bo', 'Bo Schmidt', 'bo@lab.example', 'inference', 'Europe/Berlin');
INSERT INTO sources (id, kind, path, sha256, ingested_at, rows) VALUES
  (1, 'timesheet', 'timesheets-2025.csv', 'aaaa', 1764500000, 3);
INSERT INTO events (person, kind, status, start, "end", all_day, source, source_kind, source_key)
VALUES ('ana', 'timesheet', NULL, 1764558000, 1764590400, 0, 1, 'timesheet', 'timesheets-2025.csv:2'),
       ('ana', 'timesheet', NULL, 1764644400, 1764676800, 0, 1, 'timesheet', 'timesheets-2025.csv:3'),
       ('bo', 'timesheet', NULL, 1764558000, 1764590400, 0, 1, 'timesheet', 'timesheets-2025.csv:4');
PRAGMA user_version = 3;
