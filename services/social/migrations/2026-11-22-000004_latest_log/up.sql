-- Every request of the simulator stores its action id. Updating one row made
-- all concurrent requests queue on that row's lock; appending rows does not.
-- The newest row is the latest; old rows are pruned as new ones arrive.
CREATE TABLE simulator_latest_log (
    id BIGSERIAL PRIMARY KEY,
    latest BIGINT NOT NULL
);
INSERT INTO simulator_latest_log (latest) SELECT latest FROM simulator_latest;
DROP TABLE simulator_latest;
