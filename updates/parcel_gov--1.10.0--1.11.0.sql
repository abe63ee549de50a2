-- parcel_gov 1.10.0 → 1.11.0 (fidelity: evaluation as the counties publish
-- it).  A delta: new objects, ALTER and CREATE OR REPLACE; a DROP only where
-- nothing else works, with grants and comments put back.
\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.11.0'" to load this file. \quit
