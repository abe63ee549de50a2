-- What BI and GIS clients read (README: Maps, GIS and BI tools), for every
-- view the catalog lists, so a new view cannot ship without it:
--   * every column a plain type (text, text[], numbers, booleans, dates,
--     geometry with its typmod): no enum or domain of parcel_gov, which JDBC
--     reports as DISTINCT or compares with varchar only by a driver option,
--     and QGIS drops ("unsupported type");
--   * a filter as JDBC sends it (setString: a varchar parameter) on every
--     code column, and on kinds with = ANY;
--   * beside every grade, state, pool, batch or kinds column its Chinese
--     label, named <column>_label (kinds: kinds_text, kind_labels,
--     kind_labels_text), and the labels right on the rows;
--   * read-only: no view is updatable, and its owner holds SELECT only
--     (what QGIS and DBeaver ask before they offer editing).
BEGIN;
SELECT plan(12);
\ir setup/three_counties.sql
\o

CREATE TEMP VIEW view_column AS
SELECT c.oid AS view, c.relname, a.attnum, a.attname::text AS col, a.atttypid, format_type(a.atttypid, a.atttypmod) AS type
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relnamespace = 'parcel_gov'::regnamespace AND c.relkind = 'v';

-- the code columns and the enum each label is named for
CREATE TEMP TABLE coded (pattern text, enum regtype);
INSERT INTO coded VALUES ('^(grade|grade_initial|grade_prev|current_grade|simulated_grade)$', 'parcel_gov.grade'),
                         ('^(state|register_state)$', 'parcel_gov.register_state'),
                         ('^pool$', 'parcel_gov.size_class'), ('^batch$', 'parcel_gov.batch');

SELECT is_empty($$SELECT relname || '.' || col || ' ' || type FROM view_column
                  WHERE type NOT IN ('text', 'text[]', 'integer', 'bigint', 'double precision', 'numeric', 'boolean',
                                     'date', 'timestamp with time zone', 'geometry(MultiPolygon,4490)')$$,
                'every view column is text, text[], a number, a boolean, a date or time, or geometry(MultiPolygon,4490)');
SELECT is_empty($$SELECT relname || '.' || col FROM view_column v JOIN pg_type t ON t.oid = v.atttypid
                  LEFT JOIN pg_type e ON e.oid = t.typelem
                  WHERE 'parcel_gov'::regnamespace IN (t.typnamespace, e.typnamespace) OR t.typtype IN ('d', 'e')$$,
                'no view column has an enum or a domain (parcel_gov''s or another)');
SELECT cmp_ok((SELECT count(*)::int FROM view_column WHERE col ~ ANY (SELECT pattern FROM coded) OR col = 'kinds'), '>=', 17,
              'the code columns are found (17 grade, state, pool, batch and kinds columns in the views)');

-- A filter the way JDBC's setString sends it: the parameter typed varchar.
CREATE FUNCTION pg_temp.filters_failing() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    f record;
BEGIN
    FOR f IN SELECT relname, col FROM view_column
             WHERE col ~ ANY (SELECT pattern FROM coded) OR col IN ('code', 'parcel_code', 'uscc', 'holder_uscc', 'kinds') LOOP
        BEGIN
            EXECUTE format('PREPARE jdbc_filter (varchar) AS SELECT count(*) FROM parcel_gov.%I WHERE %s',
                           f.relname, CASE f.col WHEN 'kinds' THEN '$1 = ANY (kinds)' ELSE format('%I = $1', f.col) END);
            DEALLOCATE jdbc_filter;
        EXCEPTION WHEN OTHERS THEN
            RETURN NEXT f.relname || '.' || f.col || ': ' || SQLERRM;
        END;
    END LOOP;
END $$;
SELECT is_empty($$SELECT * FROM pg_temp.filters_failing()$$,
                'a varchar parameter filters every code column (= ?) and kinds (? = ANY (kinds)), as JDBC sends it');
PREPARE by_grade (varchar) AS SELECT count(*)::int FROM parcel_gov.v_parcel_efficiency WHERE grade = $1;
SELECT is((SELECT count(*)::int FROM parcel_gov.v_parcel_efficiency WHERE grade = 'B'), 3, 'three parcels of grade B');
EXECUTE by_grade('B');
SELECT results_eq('EXECUTE by_grade(''B'')', 'VALUES (3)', 'and the varchar filter finds the same three');

SELECT is_empty($$SELECT relname || '.' || col FROM view_column v
                  WHERE (col ~ ANY (SELECT pattern FROM coded)
                         AND NOT EXISTS (SELECT FROM view_column l WHERE l.view = v.view AND l.col = v.col || '_label' AND l.attnum = v.attnum + 1))
                     OR (col = 'kinds' AND (SELECT string_agg(l.col, ',' ORDER BY l.attnum) FROM view_column l
                                            WHERE l.view = v.view AND l.attnum BETWEEN v.attnum + 1 AND v.attnum + 3)
                                           IS DISTINCT FROM 'kinds_text,kind_labels,kind_labels_text')$$,
                'beside every grade, state, pool and batch column its <column>_label; beside kinds kinds_text, kind_labels, kind_labels_text');

-- Every label on every row says what label() says of the code.
CREATE FUNCTION pg_temp.labels_wrong() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    f record;
    n bigint;
BEGIN
    FOR f IN SELECT v.relname, v.col, c.enum FROM view_column v JOIN coded c ON v.col ~ c.pattern LOOP
        EXECUTE format('SELECT count(*) FROM parcel_gov.%I WHERE %I IS DISTINCT FROM parcel_gov.label(%I::%s)',
                       f.relname, f.col || '_label', f.col, f.enum) INTO n;
        IF n > 0 THEN RETURN NEXT format('%s.%s_label: %s rows', f.relname, f.col, n); END IF;
    END LOOP;
    FOR f IN SELECT relname FROM view_column WHERE col = 'kinds' LOOP
        EXECUTE format($q$SELECT count(*) FROM parcel_gov.%I
                         WHERE kinds_text IS DISTINCT FROM array_to_string(kinds, ',')
                            OR kind_labels IS DISTINCT FROM parcel_gov.label(kinds::parcel_gov.low_efficiency_kind[])
                            OR kind_labels_text IS DISTINCT FROM array_to_string(kind_labels, '、')$q$, f.relname) INTO n;
        IF n > 0 THEN RETURN NEXT format('%s kinds: %s rows', f.relname, n); END IF;
    END LOOP;
END $$;
SELECT is_empty($$SELECT * FROM pg_temp.labels_wrong()$$, 'every label column agrees with label() on every row');
SELECT results_eq($$SELECT code, grade, grade_label, pool, pool_label, register_state, register_state_label
                    FROM parcel_gov.v_parcel_efficiency WHERE region_code = '330604'$$,
                  $$VALUES ('330604001001GB00001', 'B', '鼓励提升', 'below', '规下', 'candidate', '调查核实')$$,
                  'a parcel as the map shows it: grade B 鼓励提升, 规下, 调查核实 (by hand)');
SELECT results_eq($$SELECT parcel_code, state, state_label, kinds, kinds_text, kind_labels_text
                    FROM parcel_gov.v_register WHERE parcel_code = '330604001001GB00001'$$,
                  $$VALUES ('330604001001GB00001', 'candidate', '调查核实', '{low_per_mu}'::text[], 'low_per_mu', '亩均税收低')$$,
                  'its register row: 100 万元 of tax on about 100 mu (1 万元/亩) is under the line, kind low_per_mu 亩均税收低 (by hand)');

SELECT is_empty($$SELECT c.relname FROM pg_class c JOIN information_schema.views v
                    ON v.table_schema = 'parcel_gov' AND v.table_name = c.relname
                  WHERE c.relnamespace = 'parcel_gov'::regnamespace AND c.relkind = 'v'
                    AND (pg_relation_is_updatable(c.oid, true) <> 0 OR v.is_updatable = 'YES' OR v.is_insertable_into = 'YES')$$,
                'no view is updatable or insertable (information_schema says NO)');
SELECT is_empty($$SELECT c.relname, a.privilege_type FROM pg_class c, aclexplode(c.relacl) a
                  WHERE c.relnamespace = 'parcel_gov'::regnamespace AND c.relkind = 'v'
                    AND a.grantee = c.relowner AND a.privilege_type <> 'SELECT'$$,
                'a view''s owner holds SELECT on it and nothing more: has_table_privilege says no writes');

SELECT * FROM finish();
ROLLBACK;
