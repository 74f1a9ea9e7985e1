SELECT count(*)
FROM (
  SELECT customer_id
  FROM orders
  WHERE order_date BETWEEN '2024-01-01' AND '2024-12-31' AND status <> 'cancelled'
  GROUP BY customer_id
  HAVING count(DISTINCT substr(order_date, 1, 7)) >= 5
);
