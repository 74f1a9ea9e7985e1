-- A small web shop: customers place orders of products.
CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,
    city        TEXT NOT NULL,
    signup_date TEXT NOT NULL              -- ISO date, YYYY-MM-DD
);

CREATE TABLE products (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL,
    category TEXT NOT NULL,
    price    REAL NOT NULL                 -- list price
);

CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    order_date  TEXT NOT NULL,             -- ISO date, YYYY-MM-DD
    status      TEXT NOT NULL              -- pending, shipped, delivered, cancelled, returned
);

CREATE TABLE order_items (
    order_id   INTEGER NOT NULL REFERENCES orders (id),
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity   INTEGER NOT NULL,
    unit_price REAL NOT NULL,              -- the price charged, after any discount
    PRIMARY KEY (order_id, product_id)
);
