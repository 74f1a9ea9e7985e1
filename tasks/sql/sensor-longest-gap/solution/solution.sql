WITH gaps AS (
  SELECT (julianday(taken_at) - julianday(lag(taken_at) OVER (ORDER BY taken_at))) * 1440
         AS minutes
  FROM readings
  WHERE sensor = 'north-3'
)
SELECT round(max(minutes)) FROM gaps;
