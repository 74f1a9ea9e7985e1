SELECT p.category
     FROM orders o
     JOIN order_items oi ON oi.order_id = o.id
     JOIN products p ON p.id = oi.product_id
     WHERE o.order_date BETWEEN '2024-01-01' AND '2024-12-31'
AND o.status IN ('shipped', 'delivered')
     GROUP BY p.category
     ORDER BY sum(oi.quantity * oi.unit_price) DESC;
