ALTER TABLE orders ADD COLUMN total REAL NOT NULL DEFAULT 0;
UPDATE orders
SET total = (SELECT round(coalesce(sum(quantity * unit_price), 0), 2)
             FROM order_items WHERE order_id = orders.id);
