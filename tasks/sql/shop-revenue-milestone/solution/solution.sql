WITH daily AS (
       SELECT o.order_date AS day, sum(oi.quantity * oi.unit_price) AS revenue
       FROM orders o
       JOIN order_items oi ON oi.order_id = o.id
       WHERE o.order_date BETWEEN '2024-01-01' AND '2024-12-31'
AND o.status IN ('shipped', 'delivered')
       GROUP BY o.order_date
     ),
     running AS (
       SELECT day, sum(revenue) OVER (ORDER BY day) AS total FROM daily
     )
     SELECT min(day) FROM running WHERE total >= 30000;
