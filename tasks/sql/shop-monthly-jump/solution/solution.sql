WITH monthly AS (
  SELECT substr(order_date, 1, 7) AS month, count(*) AS n
  FROM orders
  GROUP BY month
),
changes AS (
  SELECT month, n - lag(n) OVER (ORDER BY month) AS increase FROM monthly
)
SELECT month FROM changes
WHERE month LIKE '2024-%'
ORDER BY increase DESC
LIMIT 1;
