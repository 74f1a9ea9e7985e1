DELETE FROM order_items WHERE quantity = 0;
UPDATE order_items SET quantity = abs(quantity) WHERE quantity < 0;
