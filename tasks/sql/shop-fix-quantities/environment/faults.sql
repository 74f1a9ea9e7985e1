-- An import bug: some quantities were stored negated, a few as zero.
UPDATE order_items SET quantity = -quantity WHERE (order_id * 7 + product_id) % 41 = 3;
UPDATE order_items SET quantity = 0 WHERE (order_id * 5 + product_id) % 97 = 11;
