UPDATE events SET happened_on = replace(happened_on, '/', '-')
WHERE happened_on GLOB '[0-9][0-9][0-9][0-9]/*';
UPDATE events
SET happened_on =
      substr(happened_on, -4) || '-' ||
      printf('%02d', CAST(substr(happened_on, instr(happened_on, '/') + 1,
                                 length(happened_on) - instr(happened_on, '/') - 5)
                          AS INTEGER)) || '-' ||
      printf('%02d', CAST(substr(happened_on, 1, instr(happened_on, '/') - 1) AS INTEGER))
WHERE happened_on LIKE '%/%';
