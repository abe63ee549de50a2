-- parcel_gov 0.1.0 → 0.2.0: the scoring engine (aggregates, scores, quota_grade).
-- Built by the Makefile: this head, then the install/ files that 0.2.0 added.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '0.2.0'" to load this file. \quit
