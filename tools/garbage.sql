-- Garbage in (tools/check-garbage.sh): every SQL-callable function of the
-- extension, each argument in turn given every awkward value of its type
-- (the others a plain one), each call in a subtransaction.  A call must
-- return or fail with a proper SQLSTATE: class XX (internal error, an
-- elog without a code) or 58 (system error) is a failure; a crash ends the
-- session and fails the check.  All inside one transaction, rolled back.
\set ON_ERROR_STOP on
BEGIN;
SET LOCAL client_min_messages = error;
-- psql -v role=NAME: the calls as that (county) role, through its doors
\if :{?role}
SET LOCAL ROLE :"role";
\endif
CREATE TEMP TABLE awkward (type regtype, value text);    -- value: an SQL expression
INSERT INTO awkward VALUES
  ('double precision', 'NULL'), ('double precision', '''NaN'''), ('double precision', '''Infinity'''),
  ('double precision', '''-Infinity'''), ('double precision', '1e308'), ('double precision', '-1e308'),
  ('double precision', '5e-324'), ('double precision', '0'), ('double precision', '-1'), ('double precision', '1'),
  ('integer', 'NULL'), ('integer', '0'), ('integer', '-1'), ('integer', '2147483647'), ('integer', '-2147483648'),
  ('integer', '2024'), ('integer', '1'),
  ('bigint', 'NULL'), ('bigint', '0'), ('bigint', '-9223372036854775808'), ('bigint', '9223372036854775807'),
  ('text', 'NULL'), ('text', ''''''), ('text', 'repeat(''x'', 100000)'), ('text', '''上虞区🚧\t'''),
  ('text', '''91330604MA2B00078Q'''), ('text', '''330604001001GB00001'''), ('text', '''330604'''),
  ('text', ''' 33 '''), ('text', '''default'''), ('text', 'repeat(''中'', 5000)'),
  ('name', 'NULL'), ('name', ''''''), ('name', '''parcel_gov_reader'''), ('name', 'repeat(''n'', 63)'),
  ('boolean', 'NULL'), ('boolean', 'true'), ('boolean', 'false'),
  ('date', 'NULL'), ('date', '''infinity'''), ('date', '''-infinity'''), ('date', '''4713-01-01 BC'''), ('date', '''2020-01-01'''),
  ('timestamp with time zone', 'NULL'), ('timestamp with time zone', '''infinity'''),
  ('timestamp with time zone', '''-infinity'''), ('timestamp with time zone', 'now()'),
  ('json', 'NULL'), ('json', '''{}'''), ('json', '''[]'''), ('json', '''null'''), ('json', '''"x"'''),
  ('json', '''{"year": "x"}'''), ('json', '''{"year": 99999, "region": "33"}'''), ('json', '''{"region": {"a": 1}}'''),
  ('jsonb', 'NULL'), ('jsonb', '''{}'''), ('jsonb', '''[1, null]'''), ('jsonb', '(repeat(''['', 1000) || ''1'' || repeat('']'', 1000))'),
  ('regclass', 'NULL'), ('regclass', '''pg_class'''), ('regclass', '''parcel_gov.parcel'''), ('regclass', '''parcel_gov.v_register'''),
  ('double precision[]', 'NULL'), ('double precision[]', '''{}'''), ('double precision[]', '''{NULL}'''),
  ('double precision[]', '''{{1,2},{3,4}}'''), ('double precision[]', '''{1,2,3}'''), ('double precision[]', '''{NaN,Infinity}'''),
  ('double precision[]', '''{5,10,15}'''), ('double precision[]', '''{15,10,5}'''), ('double precision[]', '''[2:4]={5,10,15}'''),
  ('double precision[]', 'array_fill(0::float8, ARRAY[38])'), ('double precision[]', 'array_fill(1e308::float8, ARRAY[4])'),
  ('double precision[]', 'array_fill(0::float8, ARRAY[100000])'),
  ('text[]', 'NULL'), ('text[]', '''{}'''), ('text[]', '''{NULL}'''), ('text[]', '''{{a,b},{c,d}}'''), ('text[]', '''{330604}'''),
  ('geometry', 'NULL'), ('geometry', '''POLYGON EMPTY'''), ('geometry', '''SRID=4490;MULTIPOLYGON EMPTY'''),
  ('geometry', '''SRID=4490;MULTIPOLYGON(((120 30,120.01 30.01,120.01 30,120 30.01,120 30)))'''),
  ('geometry', '''POLYGON((0 0,1 0,1 1,0 0))'''), ('geometry', '''SRID=999999;POLYGON((0 0,1 0,1 1,0 0))'''),
  ('geometry', '''SRID=4490;GEOMETRYCOLLECTION EMPTY'''), ('geometry', '''SRID=4490;LINESTRING(120 30,121 31)'''),
  ('geometry', '''SRID=4490;POINT(120 30)'''), ('geometry', '''SRID=4978;POINT(1 2 3)'''),
  ('geometry', '''SRID=4549;POLYGON((500000 3300000,500100 3300000,500100 3300100,500000 3300000))'''),
  ('geometry', '''SRID=4490;POLYGON((500000 3300000,500100 3300000,500100 3300100,500000 3300000))'''),
  ('geometry', '''SRID=4490;MULTIPOLYGON(((120 30,120.001 30,120.001 30.001,120 30)))'''),
  ('geometry', '''SRID=4490;POLYGON((1e308 1e308,-1e308 1e308,0 -1e308,1e308 1e308))'''),
  ('geometry', '''SRID=4490;POLYGON((120 30 5,120.001 30 5,120.001 30.001 5,120 30 5))''');
-- every enum: NULL and its labels; enum arrays: empty, a NULL element, all labels
INSERT INTO awkward
SELECT t.oid::regtype, v FROM pg_type t,
       LATERAL (SELECT 'NULL' UNION ALL SELECT quote_literal(e.enumlabel) FROM pg_enum e WHERE e.enumtypid = t.oid) AS x(v)
WHERE t.typnamespace = 'parcel_gov'::regnamespace AND t.typtype = 'e';
INSERT INTO awkward
SELECT t.typarray::regtype, v FROM pg_type t,
       LATERAL (VALUES ('NULL'), ('''{}'''), ('''{NULL}'''),
                       (quote_literal('{' || (SELECT string_agg(e.enumlabel, ',') FROM pg_enum e WHERE e.enumtypid = t.oid) || '}'))) AS x(v)
WHERE t.typnamespace = 'parcel_gov'::regnamespace AND t.typtype = 'e';
INSERT INTO awkward VALUES ('parcel_gov.indicators', 'NULL'), ('parcel_gov.indicators', '''(,,,,,,,,)'''),
  ('parcel_gov.indicators', '''(NaN,Infinity,-Infinity,0,1,2,3,4,5)'''),
  ('parcel_gov.uscc', 'NULL'), ('parcel_gov.parcel_code', 'NULL');

CREATE TEMP TABLE outcome (fn text, call text, sqlstate text, message text);
DO $$
DECLARE
    f record;
    arg int;
    v record;
    args text[];
    sql text;
BEGIN
    FOR f IN
        SELECT p.oid, p.oid::regprocedure::text AS fn, p.prokind, ARRAY(SELECT unnest(p.proargtypes::oid[])) AS types, p.pronargs
        FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
        JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'parcel_gov'
        WHERE p.prorettype <> 'trigger'::regtype
        ORDER BY 2
    LOOP
        FOR arg IN 1 .. greatest(f.pronargs, 1) LOOP
            -- (a function without arguments is called once)
            FOR v IN SELECT a.value FROM awkward a WHERE a.type = f.types[arg]::regtype
                     UNION ALL SELECT NULL WHERE f.pronargs = 0 LOOP
                -- the other arguments: their type's last (plain) value
                SELECT array_agg(coalesce(CASE WHEN i = arg THEN v.value END,
                                          (SELECT a.value FROM awkward a WHERE a.type = t::regtype
                                           ORDER BY a.ctid DESC LIMIT 1), 'NULL') || '::' || t::regtype::text
                                 ORDER BY i)
                INTO args FROM unnest(f.types) WITH ORDINALITY AS u(t, i);
                sql := format('SELECT %s(%s)%s FROM (VALUES (1), (2)) AS rows(n)',
                              f.oid::regproc, array_to_string(coalesce(args, '{}'), ', '),
                              CASE f.prokind WHEN 'w' THEN ' OVER (ORDER BY n)' ELSE '' END);
                BEGIN
                    EXECUTE sql;
                    INSERT INTO outcome VALUES (f.fn, sql, NULL, NULL);
                EXCEPTION WHEN OTHERS THEN
                    INSERT INTO outcome VALUES (f.fn, sql, SQLSTATE, SQLERRM);
                END;
            END LOOP;
        END LOOP;
    END LOOP;
END $$;
\pset footer off
SELECT (SELECT count(*) FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
          AND d.deptype = 'e' JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'parcel_gov'
        WHERE p.prorettype = 'trigger'::regtype) AS trigger_functions_skipped,
       count(*) AS calls, count(DISTINCT fn) AS functions, count(*) FILTER (WHERE sqlstate IS NULL) AS returned,
       count(*) FILTER (WHERE sqlstate IS NOT NULL) AS clean_errors,
       count(*) FILTER (WHERE sqlstate ~ '^(XX|58)') AS internal_errors
FROM outcome;
SELECT sqlstate, count(*) AS calls FROM outcome WHERE sqlstate IS NOT NULL GROUP BY 1 ORDER BY 2 DESC;
SELECT fn, left(call, 200) AS call, sqlstate, left(message, 200) AS message
FROM outcome WHERE sqlstate ~ '^(XX|58)' ORDER BY fn;
ROLLBACK;
