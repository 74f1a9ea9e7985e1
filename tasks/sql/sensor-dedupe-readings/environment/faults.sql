-- Readings sent twice: exact copies, and copies with a slightly different value.
INSERT INTO readings (sensor, taken_at, celsius)
SELECT sensor, taken_at, celsius FROM readings WHERE id % 97 = 5 ORDER BY id;
INSERT INTO readings (sensor, taken_at, celsius)
SELECT sensor, taken_at, celsius + 0.5 FROM readings WHERE id % 211 = 17 ORDER BY id;
