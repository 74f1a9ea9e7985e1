ALTER TABLE people ADD COLUMN first_name TEXT;
ALTER TABLE people ADD COLUMN last_name TEXT;
UPDATE people
SET first_name = substr(full_name, 1, instr(full_name, ' ') - 1),
    last_name = substr(full_name, instr(full_name, ' ') + 1);
ALTER TABLE people DROP COLUMN full_name;
