-- The staff, generated in SQL from a seeded pseudo-random stream: every build gives the same
-- database on every SQLite (integer arithmetic only, no random()).
--
-- rnd(n, x): the MINSTD generator, x(n+1) = x(n) * 48271 mod (2^31 - 1), seed 77031.
CREATE TEMP TABLE rnd (n INTEGER PRIMARY KEY, x INTEGER NOT NULL);
INSERT INTO rnd
WITH RECURSIVE r (n, x) AS (
    SELECT 0, 77031
    UNION ALL
    SELECT n + 1, x * 48271 % 2147483647 FROM r WHERE n < 999
)
SELECT n, x FROM r;

CREATE TEMP TABLE first_names (k INTEGER PRIMARY KEY, v TEXT NOT NULL);
INSERT INTO first_names VALUES
    (0, 'Alma'), (1, 'Bastian'), (2, 'Cora'), (3, 'Dario'), (4, 'Esme'), (5, 'Filip'),
    (6, 'Gaia'), (7, 'Henrik'), (8, 'Ilse'), (9, 'Jakub'), (10, 'Klara'), (11, 'Lorenz'),
    (12, 'Mira'), (13, 'Nils'), (14, 'Olga'), (15, 'Pavel');
CREATE TEMP TABLE last_names (k INTEGER PRIMARY KEY, v TEXT NOT NULL);
INSERT INTO last_names VALUES
    (0, 'Achterberg'), (1, 'Bianchi'), (2, 'Costa'), (3, 'Dahl'), (4, 'Engel'), (5, 'Fontaine'),
    (6, 'Grün'), (7, 'Horvat'), (8, 'Ilic'), (9, 'Janssen');
CREATE TEMP TABLE departments (k INTEGER PRIMARY KEY, v TEXT NOT NULL);
INSERT INTO departments VALUES
    (2, 'Engineering'), (3, 'Sales'), (4, 'Finance'), (5, 'Operations'), (6, 'Design');

-- 90 people with distinct names (i * 13 mod 160 visits each pair at most once). Employee 1
-- leads; 2-6 head the departments; everyone else reports to someone hired before them in
-- the same branch (i - 5m for a random m >= 1: ids equal mod 5 share a branch).
INSERT INTO employees (id, name, manager_id, salary, hired_on)
WITH RECURSIVE e (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM e WHERE i < 90)
SELECT i,
       f.v || ' ' || l.v,
       CASE WHEN i = 1 THEN NULL
            WHEN i <= 6 THEN 1
            ELSE i - 5 * (1 + (SELECT x FROM rnd WHERE n = 3 * i) % ((i - 2) / 5)) END,
       CASE WHEN i = 1 THEN 182000
            WHEN i <= 6 THEN 110000 + (SELECT x FROM rnd WHERE n = 3 * i + 1) % 25000
            ELSE 36000 + (SELECT x FROM rnd WHERE n = 3 * i + 1) % 52000 END,
       date('2012-01-09', '+' || (i * 41 + (SELECT x FROM rnd WHERE n = 3 * i + 2) % 30)
                          || ' days')
FROM e
JOIN first_names f ON f.k = (i * 13 % 160) % 16
JOIN last_names l ON l.k = (i * 13 % 160) / 16;

-- Everyone belongs to the department of the head above them.
CREATE TEMP TABLE branch AS
WITH RECURSIVE tree (id, head) AS (
    SELECT id, id FROM employees WHERE manager_id = 1
    UNION ALL
    SELECT e.id, tree.head FROM employees e JOIN tree ON e.manager_id = tree.id
)
SELECT id, head FROM tree;
UPDATE employees SET department = 'Management' WHERE id = 1;
UPDATE employees
SET department = (SELECT d.v FROM branch b JOIN departments d ON d.k = b.head
                  WHERE b.id = employees.id)
WHERE id > 1;
