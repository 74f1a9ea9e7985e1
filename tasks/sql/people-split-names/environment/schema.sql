-- Members of a club. The names were kept in one column.
CREATE TABLE people (
    id        INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL,              -- first name, a space, then the rest
    email     TEXT NOT NULL,
    joined    TEXT NOT NULL               -- ISO date
);
CREATE INDEX people_joined ON people (joined);
