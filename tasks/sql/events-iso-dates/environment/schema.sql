-- A community calendar. Dates were entered in whatever format the volunteer liked.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    happened_on TEXT NOT NULL
);
