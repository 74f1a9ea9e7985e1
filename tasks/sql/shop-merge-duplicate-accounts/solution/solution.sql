UPDATE orders
SET customer_id = (
  SELECT min(other.id)
  FROM customers this
  JOIN customers other ON lower(other.email) = lower(this.email)
  WHERE this.id = orders.customer_id
);
DELETE FROM customers
WHERE id NOT IN (SELECT min(id) FROM customers GROUP BY lower(email));
CREATE UNIQUE INDEX customers_email_unique ON customers (lower(email));
