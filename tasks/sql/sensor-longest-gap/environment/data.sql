-- Three days of readings from four sensors, generated in SQL from a seeded pseudo-random
-- stream: every build gives the same database on every SQLite (no random()).
--
-- rnd(n, x): the MINSTD generator, x(n+1) = x(n) * 48271 mod (2^31 - 1), seed 5150.
CREATE TEMP TABLE rnd (n INTEGER PRIMARY KEY, x INTEGER NOT NULL);
INSERT INTO rnd
WITH RECURSIVE r (n, x) AS (
    SELECT 0, 5150
    UNION ALL
    SELECT n + 1, x * 48271 % 2147483647 FROM r WHERE n < 3999
)
SELECT n, x FROM r;

CREATE TEMP TABLE sensors (k INTEGER PRIMARY KEY, name TEXT NOT NULL, base REAL NOT NULL);
INSERT INTO sensors VALUES
    (0, 'north-1', 8.0), (1, 'north-3', 6.5), (2, 'south-2', 14.0), (3, 'west-4', 11.0);

-- Slot s (0-431) is 2024-03-04 00:00 + 10 s minutes. About one reading in eleven is lost.
INSERT INTO readings (sensor, taken_at, celsius)
WITH RECURSIVE slot (s) AS (SELECT 0 UNION ALL SELECT s + 1 FROM slot WHERE s < 431)
SELECT sn.name,
       strftime('%Y-%m-%d %H:%M', '2024-03-04 00:00', '+' || (10 * slot.s) || ' minutes'),
       round(sn.base + ((SELECT x FROM rnd WHERE n = 4 * slot.s + sn.k) % 61 - 30) / 10.0, 1)
FROM slot CROSS JOIN sensors sn
WHERE (SELECT x FROM rnd WHERE n = 4 * slot.s + sn.k) % 11 <> 0
ORDER BY slot.s, sn.k;

-- north-3 went quiet for a while on the second day, north-1 for a shorter time.
DELETE FROM readings
WHERE sensor = 'north-3' AND taken_at > '2024-03-05 09:20' AND taken_at < '2024-03-05 12:10';
DELETE FROM readings
WHERE sensor = 'north-1' AND taken_at > '2024-03-06 02:00' AND taken_at < '2024-03-06 03:30';
