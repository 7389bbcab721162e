ALTER TABLE users DROP COLUMN simulator;
