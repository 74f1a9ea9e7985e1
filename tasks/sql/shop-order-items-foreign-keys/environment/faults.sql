-- Rows left behind by deleted orders, and a product that was never created.
INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES
    (9001, 3, 1, 18.75), (9001, 12, 1, 119.00), (9002, 5, 2, 22.40), (14, 31, 1, 9.99),
    (250, 44, 3, 12.00);
