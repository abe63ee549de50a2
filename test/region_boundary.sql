-- Region boundaries (行政区划界线, README: Maps): a county sees only its own
-- outline, a city its counties', an admin every one; only admins write
-- them; map_svg draws the outline the caller may see, and only that.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(9);

INSERT INTO parcel_gov.region_boundary (region_code, geom, source)
SELECT code, ST_Multi(ST_Buffer(ST_MakePoint(120.81 + 0.01 * n, 29.801)::geometry, 0.02, 4)), 'test'
FROM county;
CREATE FUNCTION pg_temp.boundaries_seen() RETURNS text LANGUAGE sql
RETURN (SELECT string_agg(region_code, ',' ORDER BY region_code) FROM parcel_gov.region_boundary);
GRANT EXECUTE ON FUNCTION pg_temp.boundaries_seen() TO PUBLIC;
CREATE FUNCTION pg_temp.outlines_drawn(region text) RETURNS integer LANGUAGE sql
RETURN cardinality(xpath('//s:path[@class="boundary"]', xmlparse(DOCUMENT parcel_gov.map_svg(region, 2024)),
                         ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']]));
GRANT EXECUTE ON FUNCTION pg_temp.outlines_drawn(text) TO PUBLIC;

SET LOCAL ROLE t_reader_shangyu;
SELECT is(pg_temp.boundaries_seen(), '330604', 'a county reader sees its own boundary only');
SELECT is(pg_temp.outlines_drawn('330604'), 1, 'and its map draws it');
SELECT is(pg_temp.outlines_drawn('330602'), 0, 'another county''s map draws no outline for it');
RESET ROLE;

SET LOCAL ROLE t_reader_shaoxing;
SELECT is(pg_temp.boundaries_seen(), '330602,330604', 'a city reader sees its counties'' boundaries');
RESET ROLE;

SET LOCAL ROLE t_admin;
SELECT is(pg_temp.boundaries_seen(), '330602,330604,331003', 'an admin sees every boundary');
SELECT lives_ok($$UPDATE parcel_gov.region_boundary SET source = '天地图 2024' WHERE region_code = '331003'$$,
                'an admin writes boundaries');
RESET ROLE;

SET LOCAL ROLE t_operator_shangyu;
SELECT throws_ok($$UPDATE parcel_gov.region_boundary SET source = 'mine' WHERE region_code = '330604'$$, '42501', NULL,
                 'a county operator does not write boundaries (parks and regions are the admin''s too)');
SELECT throws_ok($$INSERT INTO parcel_gov.region_boundary (region_code, geom)
                   VALUES ('330604', 'SRID=4490;MULTIPOLYGON(((120.9 29.8,120.91 29.8,120.91 29.81,120.9 29.8)))')$$,
                 '42501', NULL, 'nor adds one');
RESET ROLE;

-- An outline must be a MultiPolygon in CGCS2000.
SELECT throws_ok($$INSERT INTO parcel_gov.region_boundary (region_code, geom)
                   VALUES ('330000', 'SRID=4326;MULTIPOLYGON(((120.9 29.8,120.91 29.8,120.91 29.81,120.9 29.8)))')$$,
                 '22023', NULL, 'an outline in another SRID is refused (transform it to 4490 first)');

SELECT * FROM finish();
ROLLBACK;
