DELETE FROM readings
WHERE id NOT IN (SELECT min(id) FROM readings GROUP BY sensor, taken_at);
CREATE UNIQUE INDEX readings_sensor_time ON readings (sensor, taken_at);
