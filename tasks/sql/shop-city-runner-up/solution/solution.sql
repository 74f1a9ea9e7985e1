WITH counts AS (
  SELECT c.id, c.name,
         (SELECT count(*) FROM orders o
          WHERE o.customer_id = c.id AND o.status <> 'cancelled') AS n
  FROM customers c
  WHERE c.city = 'Porto'
),
ranked AS (
  SELECT name, row_number() OVER (ORDER BY n DESC, id) AS position FROM counts
)
SELECT name FROM ranked WHERE position = 2;
