-- Temperature readings sent by field sensors, nominally one every 10 minutes.
CREATE TABLE readings (
    id       INTEGER PRIMARY KEY,
    sensor   TEXT NOT NULL,
    taken_at TEXT NOT NULL,                -- UTC, 'YYYY-MM-DD HH:MM'
    celsius  REAL NOT NULL
);
