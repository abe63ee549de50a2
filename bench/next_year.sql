-- bench/next_year.sql: bench.next_year() copies 2024's figures into the year
-- after the last one and names it in the setting bench.year: a year no run has
-- evaluated, for timing first runs.
CREATE FUNCTION bench.next_year() RETURNS integer LANGUAGE sql AS $n$
INSERT INTO parcel_gov.enterprise_year
SELECT uscc, (SELECT max(year) + 1 FROM parcel_gov.enterprise_year), size_class, tax, value_added, revenue, rd_expense,
       staff, energy_tce, emission_t, electricity_kwh, exempt_reason, veto_reason, bonus, deduction,
       backward_capacity, prohibited_industry
FROM parcel_gov.enterprise_year WHERE year = 2024;
-- the statistics a bulk load gets from autovacuum within the minute: a run
-- inside bench.compare's CALL never reports its inserts to autovacuum, and
-- without them the planner took the new year for one row (nested loops over
-- every firm)
ANALYZE parcel_gov.enterprise_year;
SELECT set_config('bench.year', (SELECT max(year) FROM parcel_gov.enterprise_year)::text, false)::integer;
$n$;
