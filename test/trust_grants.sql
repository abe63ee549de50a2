-- Region grants belong to a role, not to its name: a role sees only its
-- own grants (an admin all of them), and a grant dies with its role, so a
-- later role of the same name starts with nothing.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(9);

SELECT count(*)::int AS all_grants FROM parcel_gov.role_region \gset

-- role_region: one's own rows only.
SET LOCAL ROLE t_reader_shangyu;
SELECT is((SELECT array_agg(region_prefix ORDER BY region_prefix) FROM parcel_gov.role_region), '{330604}'::text[],
          't_reader_shangyu sees its one grant only');
RESET ROLE;
SET LOCAL ROLE t_reader_shaoxing;
SELECT is((SELECT array_agg(region_prefix ORDER BY region_prefix) FROM parcel_gov.role_region), '{3306}'::text[],
          't_reader_shaoxing sees its city grant only');
RESET ROLE;
SET LOCAL ROLE t_admin;
SELECT is((SELECT count(*)::int FROM parcel_gov.role_region), :all_grants, 't_admin sees every grant');
RESET ROLE;

-- Before: the city reader sees both counties of its city.
SET LOCAL ROLE t_reader_shaoxing;
SELECT is((SELECT count(*)::int FROM parcel_gov.parcel), 2, 'the city reader sees the parcels of its two counties');
RESET ROLE;

-- The role goes (it owns nothing and holds no privilege of its own) and a
-- new one takes its name.
DROP ROLE t_reader_shaoxing;
CREATE ROLE t_reader_shaoxing IN ROLE parcel_gov_reader;

SET LOCAL ROLE t_reader_shaoxing;
SELECT is((SELECT count(*)::int FROM parcel_gov.parcel), 0, 'the new role of the same name sees no parcel');
SELECT is((SELECT count(*)::int FROM parcel_gov.evaluation), 0, 'no result');
SELECT is((SELECT count(*)::int FROM parcel_gov.register), 0, 'no register row');
SELECT is((SELECT count(*)::int FROM parcel_gov.role_region), 0, 'no grant of its own');
SELECT is(parcel_gov.visible_prefixes(), '{}'::text[], 'and no region at all');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
