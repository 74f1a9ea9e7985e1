-- The sales team's address book.
CREATE TABLE contacts (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    phone TEXT NOT NULL                    -- North American numbers, typed by hand
);
