-- A company's staff: every employee but the chief executive has a manager.
CREATE TABLE employees (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    department TEXT,                       -- filled in from the head of each branch
    manager_id INTEGER REFERENCES employees (id),
    salary     INTEGER NOT NULL,           -- yearly, in euros
    hired_on   TEXT NOT NULL               -- ISO date, YYYY-MM-DD
);
