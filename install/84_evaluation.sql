-- Results of the yearly per-mu evaluation (亩均效益综合评价), written by evaluate().

CREATE TABLE parcel_gov.evaluation (
    id            bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    year          integer NOT NULL,
    -- No foreign key: evaluate() writes only firms it read from enterprise, and
    -- a per-row key check would cost more than the rest of a province's run.
    uscc          parcel_gov.uscc NOT NULL,
    region_code   text NOT NULL,
    rule_set_id   text,
    pool          parcel_gov.size_class NOT NULL,
    industry_group text,
    held_mu       double precision NOT NULL,
    leased_out_mu double precision NOT NULL,
    leased_in_mu  double precision NOT NULL,
    area_mu       double precision NOT NULL,
    tax           double precision,
    value_added   double precision,
    revenue       double precision,
    tax_per_mu          double precision,
    va_per_mu           double precision,
    revenue_per_mu      double precision,
    labour_productivity double precision,
    va_per_energy       double precision,
    va_per_emission     double precision,
    rd_intensity        double precision,
    tax_per_kwh         double precision,
    score_tax_per_mu          double precision,
    score_va_per_mu           double precision,
    score_revenue_per_mu      double precision,
    score_labour_productivity double precision,
    score_va_per_energy       double precision,
    score_va_per_emission     double precision,
    score_rd_intensity        double precision,
    score_tax_per_kwh         double precision,
    bonus            double precision NOT NULL DEFAULT 0,
    deduction        double precision NOT NULL DEFAULT 0,
    rental_deduction double precision NOT NULL DEFAULT 0,
    score         double precision,
    rank          integer,
    pool_size     integer,
    grade_initial parcel_gov.grade,
    grade         parcel_gov.grade,
    not_graded    text,
    veto_reason   text,
    evaluated_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    -- 1.11.0: the indicators of the water, COD and main-revenue figures, last
    revenue_per_kwh           double precision,
    va_per_water              double precision,
    va_per_cod                double precision,
    rd_intensity_main         double precision,
    score_revenue_per_kwh     double precision,
    score_va_per_water        double precision,
    score_va_per_cod          double precision,
    score_rd_intensity_main   double precision,
    PRIMARY KEY (year, uscc),
    CONSTRAINT evaluation_graded_or_why CHECK ((grade IS NULL) = (not_graded IS NOT NULL))
)
-- a rerun rewrites a pool's rows in place: room on their page keeps the new
-- versions there (HOT, no index entries), 35 → 28 ms for a county's 1,869
WITH (fillfactor = 90);
COMMENT ON TABLE parcel_gov.evaluation IS
  '亩均效益评价结果: one row per firm and year; area_mu is the net land (held − leased out + leased in); score = Σ indicator scores + bonus − deduction − rental_deduction; grade_initial by quota (初评等级), grade after a veto (调档后等级); not_graded says why a firm has no grade (exempt: T, land floor, no land)';
CREATE INDEX evaluation_region_year_idx ON parcel_gov.evaluation (region_code, year);
-- A county server publishes its results by region_code (README: Many
-- counties, one province), which a row filter on updates and deletes reads
-- in the replica identity: the whole row (the old row goes to the WAL only
-- where wal_level is logical).  evaluation_benchmark and evaluation_summary
-- have region_code in their keys.
ALTER TABLE parcel_gov.evaluation REPLICA IDENTITY FULL;

CREATE TABLE parcel_gov.evaluation_benchmark (
    year        integer NOT NULL,
    region_code text NOT NULL,
    pool        parcel_gov.size_class NOT NULL,
    indicator   parcel_gov.indicator NOT NULL,
    rule_set_id text NOT NULL,
    benchmark   double precision,
    pool_value  double precision,
    lo          double precision,
    hi          double precision,
    firms       integer NOT NULL,
    -- a region's park firms may have a rule set, and pools, of their own
    PRIMARY KEY (year, region_code, pool, rule_set_id, indicator)
);
COMMENT ON TABLE parcel_gov.evaluation_benchmark IS
  '基准值: the benchmark each pool was scored against (fixed by the rule, or the pool''s ratio of sums × multiplier), the pool''s own value, and its range (for minmax)';

CREATE TABLE parcel_gov.evaluation_run (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year         integer NOT NULL,
    region_prefix text NOT NULL,
    run_by       name NOT NULL DEFAULT pg_catalog.pg_get_userbyid(parcel_gov.invoker()),
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    firms        integer NOT NULL,
    graded       integer NOT NULL,
    changed      integer NOT NULL,
    counties_evaluated integer,
    counties_skipped   integer,
    forced       boolean
);
COMMENT ON TABLE parcel_gov.evaluation_run IS '评价运行记录: each evaluate() run: who, when, what region and year, how many firms evaluated, graded and changed';
COMMENT ON COLUMN parcel_gov.evaluation_run.counties_evaluated IS
  'counties the run evaluated (from 1.12.0; NULL before and for evaluation_discard())';
COMMENT ON COLUMN parcel_gov.evaluation_run.counties_skipped IS
  'counties of the region the run skipped because their inputs had not changed since their last run of the year (from 1.12.0)';
COMMENT ON COLUMN parcel_gov.evaluation_run.forced IS
  'evaluate(year, region, true): every county evaluated whatever changed (from 1.12.0)';

SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.evaluation', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_benchmark', '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_run', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.evaluation_run', 'id'), '');

-- One run per year at a time: evaluate() and evaluation_discard() lock the
-- year's row.  A row lock needs UPDATE on the table, which no county role
-- holds, so no account can hold a year's runs up (an advisory lock's key
-- anyone can take).
CREATE TABLE parcel_gov.evaluation_lock (
    year integer PRIMARY KEY
);
COMMENT ON TABLE parcel_gov.evaluation_lock IS
  '评价锁 (internal: the evaluation lock): one row per evaluated year, locked by evaluate() and evaluation_discard() so that runs of a year follow one another';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.evaluation_lock', '');
CREATE FUNCTION parcel_gov.lock_evaluation_year(year integer)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO parcel_gov.evaluation_lock AS l VALUES (lock_evaluation_year.year) ON CONFLICT DO NOTHING;
    PERFORM FROM parcel_gov.evaluation_lock l WHERE l.year = lock_evaluation_year.year FOR UPDATE;
END $$;
COMMENT ON FUNCTION parcel_gov.lock_evaluation_year(integer) IS
  'internal: waits for and takes the lock of a year''s evaluation runs, until the transaction ends';
REVOKE EXECUTE ON FUNCTION parcel_gov.lock_evaluation_year(integer) FROM PUBLIC;

-- '330604' → '330604', '330600' → '3306', '330000' → '33', '3306' → '3306', NULL → '' (everywhere).
CREATE FUNCTION parcel_gov.region_prefix(region text)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF region IS NULL THEN
        RETURN '';
    END IF;
    IF region !~ '^([0-9]{2}){1,3}$' THEN
        RAISE EXCEPTION 'invalid region "%"', region USING ERRCODE = '22023',
            HINT = 'Give a 6-digit division code (330604 county, 330600 city, 330000 province) or its prefix (3306, 33), or NULL for every region.';
    END IF;
    IF length(region) = 6 THEN
        RETURN regexp_replace(regexp_replace(region, '0000$', ''), '00$', '');
    END IF;
    RETURN region;
END $$;
COMMENT ON FUNCTION parcel_gov.region_prefix(text) IS
  'The code prefix a region stands for: 330604 → 330604, 330600 → 3306, 330000 → 33; NULL → '''' (everywhere); 22023 for anything else';
