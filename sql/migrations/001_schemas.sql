-- Layers of the warehouse: raw (as landed), staging (typed, flagged), marts (read by dashboards), ops (ledgers).
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS marts;
CREATE SCHEMA IF NOT EXISTS ops;
