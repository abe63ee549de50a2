-- parcel_gov 0.2.0 → 0.3.0: the per-mu evaluation (data model, rules as data,
-- evaluate(), views).  Built by the Makefile: this head, then the install/
-- files that 0.3.0 added.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '0.3.0'" to load this file. \quit
