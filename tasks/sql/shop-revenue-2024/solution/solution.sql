SELECT round(sum(oi.quantity * oi.unit_price), 2)
     FROM orders o
     JOIN order_items oi ON oi.order_id = o.id
     WHERE o.order_date BETWEEN '2024-01-01' AND '2024-12-31'
AND o.status IN ('shipped', 'delivered');
