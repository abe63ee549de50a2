-- parcel_gov 1.2.0 → 1.3.0: decision support (the register as of a date,
-- early warning, region targets).
-- Built by the Makefile: this head, then the install/ files that 1.3.0 added
-- or changed.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.3.0'" to load this file. \quit
