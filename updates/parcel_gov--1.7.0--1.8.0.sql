-- parcel_gov 1.7.0 → 1.8.0: what BI and GIS clients see (plain types and
-- labels in every view, read-only views, the printed map).  A delta
-- written by hand.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.8.0'" to load this file. \quit
