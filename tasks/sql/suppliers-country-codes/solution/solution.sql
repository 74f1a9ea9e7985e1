UPDATE suppliers
SET country = CASE
  WHEN lower(trim(country)) IN ('usa', 'u.s.a.', 'u.s.', 'us', 'united states',
                                'united states of america') THEN 'US'
  WHEN lower(trim(country)) IN ('germany', 'de', 'deutschland',
                                'bundesrepublik deutschland') THEN 'DE'
  WHEN lower(trim(country)) IN ('france', 'fr', 'république française') THEN 'FR'
  WHEN lower(trim(country)) IN ('netherlands', 'the netherlands', 'holland', 'nl',
                                'nederland') THEN 'NL'
  ELSE country
END;
