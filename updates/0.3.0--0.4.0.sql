-- parcel_gov 0.3.0 → 0.4.0: the low-efficiency parcel register.
-- Built by the Makefile: this head, then the install/ files that 0.4.0 added.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '0.4.0'" to load this file. \quit

-- evaluate() now also syncs the register: install/85_evaluate.sql follows and
-- creates it again (nothing depends on it).
DROP FUNCTION parcel_gov.evaluate(integer, text);
