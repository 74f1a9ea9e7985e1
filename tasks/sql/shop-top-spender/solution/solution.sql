SELECT c.name
FROM customers c
JOIN orders o ON o.customer_id = c.id
JOIN order_items oi ON oi.order_id = o.id
WHERE o.status = 'delivered'
GROUP BY c.id
ORDER BY sum(oi.quantity * oi.unit_price) DESC
LIMIT 1;
