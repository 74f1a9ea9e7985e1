SELECT DISTINCT oi.order_id
FROM order_items oi
JOIN products p ON p.id = oi.product_id
WHERE oi.unit_price > 2 * p.price OR oi.unit_price < 0.5 * p.price
ORDER BY oi.order_id;
