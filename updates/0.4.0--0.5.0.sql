-- parcel_gov 0.4.0 → 0.5.0: the evaluation engine in C.
-- Built by the Makefile: this head, then the install/ files that 0.5.0 changed.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '0.5.0'" to load this file. \quit

-- evaluate() now calls the C engine, which also syncs the register:
-- install/85_evaluate.sql follows and creates both again.
DROP FUNCTION parcel_gov.evaluate(integer, text);
DROP FUNCTION parcel_gov.register_sync(integer, text);
