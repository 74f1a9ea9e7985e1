SELECT lower(email)
FROM customers
GROUP BY lower(email)
HAVING count(*) > 1
ORDER BY 1;
