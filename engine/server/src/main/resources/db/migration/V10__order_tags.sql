-- OKX's order tag: up to 16 alphanumerics given at placement, returned with the order and its fills.
-- NULL for orders placed without one (and for every order placed before this migration).
ALTER TABLE orders ADD COLUMN tag VARCHAR(16);
