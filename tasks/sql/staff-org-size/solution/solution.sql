WITH RECURSIVE below (id) AS (
  SELECT id FROM employees WHERE manager_id = (SELECT id FROM employees WHERE name = 'Ilse Grün')
  UNION ALL
  SELECT e.id FROM employees e JOIN below ON e.manager_id = below.id
)
SELECT count(*) FROM below;
