SELECT count(*) FROM orders WHERE status = 'cancelled';
