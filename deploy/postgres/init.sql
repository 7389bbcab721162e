-- One database per service (DESIGN.md), created on the first start of the container.
CREATE DATABASE auth;
CREATE DATABASE social;
CREATE DATABASE events;
CREATE DATABASE notify;
