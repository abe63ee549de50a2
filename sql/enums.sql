-- The enums and their Chinese labels.
\set VERBOSITY verbose
SET search_path = parcel_gov, public;

SELECT g AS grade, label(g) FROM unnest(enum_range(NULL::grade)) AS g;
SELECT b AS batch, label(b) FROM unnest(enum_range(NULL::batch)) AS b;
SELECT s AS register_state, label(s) FROM unnest(enum_range(NULL::register_state)) AS s;
SELECT k AS low_efficiency_kind, label(k) FROM unnest(enum_range(NULL::low_efficiency_kind)) AS k;
SELECT i AS indicator, label(i) FROM unnest(enum_range(NULL::indicator)) AS i;
-- The last four (1.10.0) are scored since 1.11.0 recorded their figures: a
-- rule row may name them.
BEGIN;
SELECT rule_set_adopt('default', 'enum_check', NULL);
INSERT INTO rule_indicator (rule_set_id, pool, indicator, weight) VALUES ('enum_check', 'above', 'va_per_water', 5)
RETURNING indicator, label(indicator);
ROLLBACK;
-- Grades order A best: A < D, so ORDER BY grade lists the best first.
SELECT 'A'::grade < 'D'::grade AS a_sorts_first;
SELECT label(NULL::grade) IS NULL AS null_label;
-- Unknown labels are rejected by the type (22P02; core's error, so only its SQLSTATE is shown).
\set VERBOSITY sqlstate
SELECT 'E'::grade;
SELECT 'demolish'::batch;
