-- The shop's rows, generated in SQL from a seeded pseudo-random stream: every build gives the
-- same database on every SQLite (integer arithmetic only, no random()).
--
-- rnd(n, x): the MINSTD generator, x(n+1) = x(n) * 48271 mod (2^31 - 1), seed 20240917.
CREATE TEMP TABLE rnd (n INTEGER PRIMARY KEY, x INTEGER NOT NULL);
INSERT INTO rnd
WITH RECURSIVE r (n, x) AS (
    SELECT 0, 20240917
    UNION ALL
    SELECT n + 1, x * 48271 % 2147483647 FROM r WHERE n < 9999
)
SELECT n, x FROM r;

CREATE TEMP TABLE first_names (k INTEGER PRIMARY KEY, v TEXT NOT NULL);
INSERT INTO first_names VALUES
    (0, 'Ada'), (1, 'Bruno'), (2, 'Chiara'), (3, 'Dmitri'), (4, 'Elif'), (5, 'Farid'),
    (6, 'Greta'), (7, 'Hiro'), (8, 'Ines'), (9, 'Jonas'), (10, 'Kaja'), (11, 'Luca'),
    (12, 'Maren'), (13, 'Nadia'), (14, 'Oskar'), (15, 'Priya'), (16, 'Quentin'), (17, 'Rosa'),
    (18, 'Soren'), (19, 'Tamsin');
CREATE TEMP TABLE last_names (k INTEGER PRIMARY KEY, v TEXT NOT NULL);
INSERT INTO last_names VALUES
    (0, 'Albescu'), (1, 'Brandt'), (2, 'Castell'), (3, 'Dovic'), (4, 'Eriksen'), (5, 'Falk'),
    (6, 'Gallo'), (7, 'Haddad'), (8, 'Ivers'), (9, 'Jurado'), (10, 'Kowal'), (11, 'Lindqvist');
CREATE TEMP TABLE cities (k INTEGER PRIMARY KEY, v TEXT NOT NULL);
INSERT INTO cities VALUES
    (0, 'Lyon'), (1, 'Porto'), (2, 'Gdansk'), (3, 'Tampere'), (4, 'Graz'), (5, 'Ghent'),
    (6, 'Brno'), (7, 'Cork');

-- 120 customers with distinct names (i * 7 mod 240 visits each first/last pair at most once),
-- signed up between 2022-01-01 and 2023-06-23.
INSERT INTO customers (id, name, email, city, signup_date)
WITH RECURSIVE c (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 120)
SELECT i,
       f.v || ' ' || l.v,
       lower(f.v) || '.' || lower(l.v) || '@example.com',
       (SELECT v FROM cities WHERE k = (SELECT x FROM rnd WHERE n = 2 * i) % 8),
       date('2022-01-01', '+' || ((SELECT x FROM rnd WHERE n = 2 * i + 1) % 539) || ' days')
FROM c
JOIN first_names f ON f.k = (i * 7 % 240) % 20
JOIN last_names l ON l.k = (i * 7 % 240) / 20;

INSERT INTO products (id, name, category, price) VALUES
    (1, 'Cast iron skillet', 'Kitchen', 39.90), (2, 'Chef knife', 'Kitchen', 64.50),
    (3, 'Pepper mill', 'Kitchen', 18.75), (4, 'Kettle', 'Kitchen', 45.00),
    (5, 'Cutting board', 'Kitchen', 22.40), (6, 'Pruning shears', 'Garden', 27.30),
    (7, 'Watering can', 'Garden', 15.99), (8, 'Seed tray', 'Garden', 6.45),
    (9, 'Garden hose', 'Garden', 34.80), (10, 'Trowel', 'Garden', 11.20),
    (11, 'Desk lamp', 'Lighting', 49.00), (12, 'Floor lamp', 'Lighting', 119.00),
    (13, 'String lights', 'Lighting', 24.95), (14, 'Reading light', 'Lighting', 17.60),
    (15, 'Lantern', 'Lighting', 32.10), (16, 'Notebook', 'Office', 4.80),
    (17, 'Fountain pen', 'Office', 58.00), (18, 'Desk organiser', 'Office', 21.35),
    (19, 'Stapler', 'Office', 9.90), (20, 'Monitor stand', 'Office', 44.25),
    (21, 'Wooden puzzle', 'Toys', 19.50), (22, 'Kite', 'Toys', 25.00),
    (23, 'Building blocks', 'Toys', 36.70), (24, 'Tent', 'Outdoor', 189.00),
    (25, 'Sleeping bag', 'Outdoor', 79.90), (26, 'Camping stove', 'Outdoor', 54.60),
    (27, 'Water bottle', 'Outdoor', 14.30), (28, 'Rain poncho', 'Outdoor', 12.90),
    (29, 'Spinning top', 'Toys', 7.25), (30, 'Paper tray', 'Office', 13.40);

-- 600 orders from 2023-07-01 to 2024-12-31. Status: 10% cancelled, 5% returned,
-- 10% pending, 25% shipped, 50% delivered.
INSERT INTO orders (id, customer_id, order_date, status)
WITH RECURSIVE o (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM o WHERE i < 600)
SELECT i,
       1 + (SELECT x FROM rnd WHERE n = 1000 + 3 * i) % 120,
       date('2023-07-01', '+' || ((SELECT x FROM rnd WHERE n = 1001 + 3 * i) % 550) || ' days'),
       CASE
           WHEN (SELECT x FROM rnd WHERE n = 1002 + 3 * i) % 20 < 2 THEN 'cancelled'
           WHEN (SELECT x FROM rnd WHERE n = 1002 + 3 * i) % 20 < 3 THEN 'returned'
           WHEN (SELECT x FROM rnd WHERE n = 1002 + 3 * i) % 20 < 5 THEN 'pending'
           WHEN (SELECT x FROM rnd WHERE n = 1002 + 3 * i) % 20 < 10 THEN 'shipped'
           ELSE 'delivered'
       END
FROM o;

-- 1 to 4 distinct products per order (only products 1-27 sell), 1 to 3 of each; one order in
-- five has a 10% discount on every item.
INSERT INTO order_items (order_id, product_id, quantity, unit_price)
SELECT o.id,
       1 + ((SELECT x FROM rnd WHERE n = 3000 + 8 * o.id + 1) % 27 + 5 * k.k) % 27,
       1 + (SELECT x FROM rnd WHERE n = 3000 + 8 * o.id + 2 + k.k) % 3,
       0
FROM orders o
JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) k
  ON k.k <= (SELECT x FROM rnd WHERE n = 3000 + 8 * o.id) % 4;
UPDATE order_items
SET unit_price = (
    SELECT round(p.price * CASE WHEN (SELECT x FROM rnd WHERE n = 3006 + 8 * order_id) % 5 = 0
                                THEN 0.9 ELSE 1 END, 2)
    FROM products p WHERE p.id = product_id);

-- Data problems a careful analyst finds.
-- Items charged far from the list price (a misplaced decimal point, a test price).
UPDATE order_items SET unit_price = round(unit_price * 10, 2)
WHERE (order_id, product_id) IN (
    SELECT order_id, min(product_id) FROM order_items WHERE order_id IN (37, 211, 388)
    GROUP BY order_id);
UPDATE order_items SET unit_price = 0.01
WHERE (order_id, product_id) IN (
    SELECT order_id, max(product_id) FROM order_items WHERE order_id = 452 GROUP BY order_id);
-- Sign-up dates later than some of the customer's orders.
UPDATE customers SET signup_date = '2024-05-20' WHERE id = 15;
UPDATE customers SET signup_date = '2024-02-11' WHERE id = 64;
UPDATE customers SET signup_date = '2024-09-02' WHERE id = 101;
-- People who signed up twice, with their email written in other capitals.
INSERT INTO customers (id, name, email, city, signup_date)
SELECT 120 + row_number() OVER (ORDER BY id), name,
       upper(substr(email, 1, 1)) || substr(email, 2, instr(email, '@') - 1) || 'Example.COM',
       city, '2023-06-30'
FROM customers WHERE id IN (8, 45, 97);
INSERT INTO orders (id, customer_id, order_date, status) VALUES
    (601, 121, '2024-02-03', 'delivered'), (602, 121, '2024-08-19', 'shipped'),
    (603, 122, '2024-04-27', 'delivered'), (604, 123, '2024-06-08', 'delivered'),
    (605, 123, '2024-10-30', 'pending'), (606, 123, '2024-11-14', 'delivered');
INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES
    (601, 4, 1, 45.00), (601, 16, 3, 4.80), (602, 24, 1, 189.00), (603, 11, 2, 49.00),
    (604, 7, 1, 15.99), (604, 9, 1, 34.80), (605, 22, 2, 25.00), (606, 17, 1, 58.00);
