BEGIN;
CREATE TABLE order_items_new (
  order_id   INTEGER NOT NULL REFERENCES orders (id),
  product_id INTEGER NOT NULL REFERENCES products (id),
  quantity   INTEGER NOT NULL CHECK (quantity > 0),
  unit_price REAL NOT NULL,
  PRIMARY KEY (order_id, product_id)
);
INSERT INTO order_items_new (order_id, product_id, quantity, unit_price)
SELECT order_id, product_id, quantity, unit_price
FROM order_items
WHERE order_id IN (SELECT id FROM orders) AND product_id IN (SELECT id FROM products);
DROP TABLE order_items;
ALTER TABLE order_items_new RENAME TO order_items;
COMMIT;
