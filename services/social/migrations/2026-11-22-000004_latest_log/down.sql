CREATE TABLE simulator_latest (
    id INT PRIMARY KEY CHECK (id = 1),
    latest BIGINT NOT NULL
);
INSERT INTO simulator_latest (id, latest)
SELECT 1, latest FROM simulator_latest_log ORDER BY id DESC LIMIT 1;
DROP TABLE simulator_latest_log;
