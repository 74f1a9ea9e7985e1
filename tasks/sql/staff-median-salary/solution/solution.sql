WITH ordered AS (
  SELECT salary,
         row_number() OVER (ORDER BY salary) AS position,
         count(*) OVER () AS n
  FROM employees
  WHERE department = 'Engineering'
)
SELECT avg(salary)
FROM ordered
WHERE position IN ((n + 1) / 2, n / 2 + 1);
