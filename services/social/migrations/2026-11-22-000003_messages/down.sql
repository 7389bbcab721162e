DROP TABLE simulator_latest; DROP TABLE follows; DROP TABLE messages;
