UPDATE contacts
SET phone = replace(replace(replace(replace(replace(replace(
              phone, ' ', ''), '(', ''), ')', ''), '-', ''), '.', ''), '+', '');
UPDATE contacts SET phone = '1' || phone WHERE length(phone) = 10;
UPDATE contacts SET phone = '+' || phone;
