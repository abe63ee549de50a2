-- parcel_gov 1.9.0 → 1.10.0 (policies: what the county plans ask beyond
-- grades).  A delta: new objects, ALTER and CREATE OR REPLACE; a DROP only
-- where nothing else works, with grants and comments put back.
\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.10.0'" to load this file. \quit
