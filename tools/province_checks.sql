-- Helpers of tools/check-province.sh, loaded into every database it compares
-- (each county's, the province's and the one holding all the data): a
-- schema of the check's own, never published.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE SCHEMA check_province;

-- A county's rows of every published table (county_published_tables(), each
-- row's county found as the province finds it): how many, and a digest of
-- their text, which holds every column (floats in their shortest exact form).
CREATE FUNCTION check_province.fingerprint(county text)
    RETURNS TABLE (table_name text, n bigint, digest text)
    LANGUAGE plpgsql STABLE AS $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM parcel_gov.county_published_tables() LOOP
        RETURN QUERY EXECUTE format(
            'SELECT %L::text, count(*), md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), '''')) FROM parcel_gov.%I t WHERE %s',
            t.table_name, t.table_name,
            CASE t.county_from
              WHEN 'region_code' THEN 'left(t.region_code, 6) = $1'
              WHEN 'code' THEN 'NOT t.shipped AND left(t.code, 6) = $1'
              WHEN 'parcel_code' THEN 'parcel_gov.county_of_parcel(t.parcel_code) = $1'
              ELSE '(SELECT e.region_code FROM parcel_gov.enterprise e WHERE e.uscc = t.uscc) = $1' END)
        USING county;
    END LOOP;
END $$;

-- v_region_summary's rows of a level (county, city, province) or region,
-- every figure by its bits (float8send): how many, and their digest.
CREATE FUNCTION check_province.summary(level text, region text DEFAULT NULL)
    RETURNS text
    LANGUAGE sql STABLE AS $$
SELECT count(*) || ' ' || md5(coalesce(string_agg(concat_ws('|', s.year, s.region_code, s.firms, s.graded,
           float8send(s.area_mu), float8send(s.tax_per_mu), float8send(s.va_per_mu),
           s.grade_a, s.grade_b, s.grade_c, s.grade_d, s.not_graded, s.tier_1, s.tier_2, s.tier_3, s.tier_0,
           float8send(s.tax_per_mu_change), float8send(s.va_per_mu_change), float8send(s.area_mu_change),
           s.park_firms, float8send(s.park_entry_rate), s.above_firms, s.above_park_firms,
           float8send(s.above_park_entry_rate)), ',' ORDER BY s.year, s.region_code), ''))
FROM parcel_gov.v_region_summary s
WHERE s.level = summary.level AND (summary.region IS NULL OR s.region_code = summary.region)
$$;

-- When (ms since the epoch, this server's clock) a county-year's summary
-- changed from what it was: polled in one session every 5 ms, so the
-- time is the apply's, not psql's start-up; NULL after the timeout.
CREATE FUNCTION check_province.summary_changed_at(county text, year integer, was timestamptz, timeout_s float8)
    RETURNS numeric
    LANGUAGE plpgsql AS $$
DECLARE
    deadline constant timestamptz := clock_timestamp() + timeout_s * interval '1 second';
BEGIN
    WHILE clock_timestamp() < deadline LOOP
        IF (SELECT s.evaluated_at FROM parcel_gov.evaluation_summary s
            WHERE s.year = summary_changed_at.year AND s.region_code = summary_changed_at.county) IS DISTINCT FROM was THEN
            RETURN round(extract(epoch FROM clock_timestamp()) * 1000);
        END IF;
        PERFORM pg_sleep(0.005);
    END LOOP;
    RETURN NULL;
END $$;

-- The SQLSTATE a statement raises as a role (NULL: the current user), or
-- 'none'; nothing it did is kept.
CREATE FUNCTION check_province.sqlstate(who name, stmt text)
    RETURNS text
    LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        IF who IS NOT NULL THEN
            EXECUTE format('SET LOCAL ROLE %I', who);
        END IF;
        EXECUTE stmt;
        RAISE EXCEPTION 'not refused' USING ERRCODE = 'P0099';
    EXCEPTION WHEN OTHERS THEN
        RETURN CASE SQLSTATE WHEN 'P0099' THEN 'none' ELSE SQLSTATE END;
    END;
END $$;
GRANT USAGE ON SCHEMA check_province TO PUBLIC;
