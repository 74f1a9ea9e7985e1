SELECT o.id
FROM orders o
JOIN customers c ON c.id = o.customer_id
WHERE o.order_date < c.signup_date
ORDER BY o.id;
