-- bench/next_year.sql: bench.next_year() copies 2024's figures into the year
-- after the last one and names it in the setting bench.year: a year no run has
-- evaluated, for timing first runs.
-- The copy skips the plausibility trigger (session_replication_role): the
-- figures passed it as 2024's, and it checks each firm-year one at a time
-- (0.8 ms a row at 100,000 parcels, about 40 s of every round's set-up; 6 min
-- at 1,000,000).
CREATE FUNCTION bench.next_year() RETURNS integer LANGUAGE sql
SET session_replication_role = replica AS $n$
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
