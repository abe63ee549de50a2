-- Many counties, one province (install/95_province.sql) on one server: the
-- id blocks, the county's publication, the province's registry and what
-- it refuses locally.  The replication itself (three county servers and a
-- provincial one) is tools/check-province.sh's.
BEGIN;
\ir setup/three_counties.sql
SELECT plan(42);
SET LOCAL client_min_messages = error;

-- ---- id blocks
SELECT is(parcel_gov.id_block('330604'), '[330604000000001,330605000000000)'::int8range,
          'a county''s block: its code × 10⁹ + 1 up to the next code''s');
SELECT throws_ok($$SELECT * FROM parcel_gov.use_id_block('330600')$$, '22023', 'use_id_block: 330600 is not a county',
                 'a city''s code is refused');
SELECT throws_ok($$SELECT * FROM parcel_gov.use_id_block('330682')$$, '22023', NULL,
                 'so is a superseded county''s (上虞市 330682, now 330604)');
SELECT throws_ok($$SELECT * FROM parcel_gov.use_id_block(NULL)$$, '22023', NULL, 'and NULL');
SELECT throws_ok($$SELECT parcel_gov.county_publication('330604')$$, '55000', NULL,
                 'a county does not publish before its ids are in its block');
-- a park, so that a key referencing an identity (parcel.park_id) is moved too
INSERT INTO parcel_gov.park (name, region_code) VALUES ('测试园区', '330604');
UPDATE parcel_gov.parcel SET park_id = (SELECT id FROM parcel_gov.park) WHERE code = '330604001001GB00001';
CREATE TEMP TABLE before_ids AS
SELECT (SELECT array_agg(fid ORDER BY code) FROM parcel_gov.parcel) AS parcel_fids,
       (SELECT array_agg(id ORDER BY id) FROM parcel_gov.register_event) AS event_ids,
       (SELECT array_agg(id ORDER BY id) FROM parcel_gov.evaluation) AS evaluation_ids,
       (SELECT count(*) FROM parcel_gov.register_event) AS events,
       (SELECT count(*) FROM parcel_gov.parcel) + (SELECT count(*) FROM parcel_gov.park)
       + (SELECT count(*) FROM parcel_gov.evaluation) + (SELECT count(*) FROM parcel_gov.evaluation_run)
       + (SELECT count(*) FROM parcel_gov.register) + (SELECT count(*) FROM parcel_gov.register_event) AS numbered;
SELECT throws_ok($$SELECT * FROM parcel_gov.use_id_block('330604')$$, '55000', NULL,
                 'rows numbered outside the block are refused without renumber');
SELECT is((SELECT sum(renumbered) FROM parcel_gov.use_id_block('330604', renumber => true)), (SELECT numbered FROM before_ids)::numeric,
          'renumber moves every row numbered before into the block (parcels, a park, results, a run, the register, its history)');
SELECT is((SELECT array_agg(fid - 330604000000000 ORDER BY code) FROM parcel_gov.parcel), (SELECT parcel_fids FROM before_ids),
          'parcels keep their numbers, moved by 330604 × 10⁹');
SELECT is((SELECT array_agg(id - 330604000000000 ORDER BY id) FROM parcel_gov.register_event), (SELECT event_ids FROM before_ids),
          'so does the register''s history, in its order (nothing written, nothing lost)');
SELECT is((SELECT array_agg(id - 330604000000000 ORDER BY id) FROM parcel_gov.evaluation), (SELECT evaluation_ids FROM before_ids),
          'and the results');
SELECT is((SELECT park_id FROM parcel_gov.parcel WHERE code = '330604001001GB00001'), (SELECT id FROM parcel_gov.park),
          'a key that references a moved id follows it');
SELECT ok((SELECT id FROM parcel_gov.park) <@ parcel_gov.id_block('330604'), 'the park''s id is in the block');
SELECT is_empty($$SELECT i.tbl, i.column_name FROM parcel_gov.identity_columns() i
                  JOIN pg_sequence s ON s.seqrelid = i.seq
                  WHERE (s.seqmin, s.seqmax) <> (330604000000001, 330604999999999)$$,
                'every identity sequence is bounded by the block');
INSERT INTO parcel_gov.lease (parcel_code, lessee_uscc, area_mu, during)
VALUES ('330604001001GB00001', '91330602MA2B00844R', 0.5, '[2024-01-01,2025-01-01)');
SELECT is((SELECT id FROM parcel_gov.lease), 330604000000001::bigint, 'a new row takes the block''s first id');
SELECT is((SELECT count(*)::int FROM parcel_gov.use_id_block('330604') WHERE renumbered > 0), 0,
          'a second call moves nothing');
SELECT is((SELECT next_id FROM parcel_gov.use_id_block('330604') WHERE table_name = 'lease'), 330604000000002::bigint,
          'and goes on after the ids given (idempotent)');
SELECT throws_ok($$SELECT * FROM parcel_gov.use_id_block('330602', renumber => true)$$, '55000', NULL,
                 'a database numbered for one county is not renumbered for another');
SELECT is((SELECT count(*)::int FROM parcel_gov.register_event), (SELECT events::int FROM before_ids),
          'the renumbering wrote no history');

-- ---- the county's publication
SELECT is(parcel_gov.county_publication('330604'), 'parcel_gov_330604'::name, 'the county publishes');
SELECT is((SELECT string_agg(tablename || coalesce(' ' || rowfilter, ''), '; ' ORDER BY tablename)
           FROM pg_publication_tables WHERE pubname = 'parcel_gov_330604'),
          'enterprise ("left"(region_code, 6) = ''330604''::text); enterprise_year; evaluation ("left"(region_code, 6) = ''330604''::text); '
          'evaluation_benchmark ("left"(region_code, 6) = ''330604''::text); evaluation_summary ("left"(region_code, 6) = ''330604''::text); '
          'lease; parcel ("left"(region_code, 6) = ''330604''::text); park ("left"(region_code, 6) = ''330604''::text); '
          'region ((NOT shipped) AND ("left"(code, 6) = ''330604''::text)); region_boundary ("left"(region_code, 6) = ''330604''::text); '
          'register; register_event',
          'its inputs and results, filtered to its region where a table has a region column');
SELECT is((SELECT (pubinsert, pubupdate, pubdelete, pubtruncate)::text FROM pg_publication WHERE pubname = 'parcel_gov_330604'),
          '(t,t,t,f)', 'inserts, updates and deletes, no TRUNCATE');
ALTER PUBLICATION parcel_gov_330604 SET (publish = 'insert, update, delete, truncate');
SELECT is(parcel_gov.county_publication('330604'), 'parcel_gov_330604'::name, 'called again it brings the publication in line');
SELECT is((SELECT pubtruncate FROM pg_publication WHERE pubname = 'parcel_gov_330604'), false, 'TRUNCATE is off again');

-- ---- the province's triggers: the checks of applied rows fire for replicas only
SELECT is((SELECT string_agg(c.relname || ' ' || t.tgenabled::text, ', ' ORDER BY c.relname)
           FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = 'replicated_row_check'),
          'enterprise R, enterprise_year R, evaluation R, evaluation_benchmark R, evaluation_summary R, lease R, '
          'parcel R, park R, region R, region_boundary R, register R, register_event R',
          'every published table checks the rows a subscription applies (ENABLE REPLICA)');
SELECT is((SELECT string_agg(c.relname || ' ' || t.tgenabled::text, ', ' ORDER BY c.relname)
           FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = 'evaluation_mark_applied'),
          'enterprise R, enterprise_year R, evaluation R, issue R, lease R, parcel R, region R, register R, '
          'rule_indicator R, rule_industry_group R, rule_issue R, rule_pool R, rule_set R',
          'and every input of the engine marks what a subscription applies, per row');
-- a state computed on each of three servers and combined is the aggregate over all rows
CREATE TEMP TABLE figures AS
SELECT n % 3 AS server, 1000 * sin(n)::float8 AS amount, 1 + (n % 17) / 3.0::float8 AS area FROM generate_series(1, 3000) AS n;
SELECT is((SELECT float8send(parcel_gov.per_mu_agg_final(parcel_gov.partial_sum(s)))
           FROM (SELECT parcel_gov.per_mu_agg_partial(amount, area) AS s FROM figures GROUP BY server) AS x),
          (SELECT float8send(parcel_gov.per_mu_agg(amount, area)) FROM figures),
          'per_mu_agg_partial: states of three parts combined give per_mu_agg''s bits');

-- ---- the province's registry and its refusals (330604 stands for a county whose rows arrive)
SELECT is(parcel_gov.applying_subscription(), NULL, 'a session that is not a replication worker applies nothing');
SELECT is(parcel_gov.subscribe_county('330604'), 'parcel_gov_330604'::name, 'the province registers the county''s subscription');
SELECT throws_ok($$SELECT parcel_gov.subscribe_county('330602', 'parcel_gov_330604')$$, '23505', NULL,
                 'one subscription brings one county');
SET LOCAL ROLE t_analyst_shangyu;
SELECT throws_ok($$SELECT parcel_gov.evaluate(2024, '330604')$$, '55000',
                 'evaluate: the results of 330604 arrive from the county''s server (subscription parcel_gov_330604)',
                 'evaluate() of a county whose results arrive by subscription is refused');
SELECT throws_ok($$SELECT parcel_gov.evaluation_discard(2024, '330604')$$, '55000', NULL, 'and so is evaluation_discard()');
RESET ROLE;
SELECT throws_ok($$SELECT parcel_gov.evaluate(2024)$$, '55000', NULL, 'also within a wider region, also for a superuser');
SELECT lives_ok($$SELECT parcel_gov.evaluate(2024, '330602')$$, 'another county is evaluated here as before');
SET LOCAL ROLE t_operator_shangyu;
SELECT throws_ok($$UPDATE parcel_gov.enterprise_year SET tax = tax + 1$$, '42501',
                 'enterprise_year: rows of 330604 come from the county''s server (subscription parcel_gov_330604): UPDATE refused here',
                 'a clerk''s change of a subscribed county''s figures is refused');
SELECT throws_ok($$INSERT INTO parcel_gov.parcel (code, region_code, geom)
                   VALUES ('330604001001GB00009', '330604', 'SRID=4490;MULTIPOLYGON(((120.9 29.8,120.91 29.8,120.91 29.81,120.9 29.8)))')$$,
                 '42501', NULL, 'and a new parcel of it');
SELECT throws_ok($$SELECT parcel_gov.transition('330604001001GB00001', 'confirmed', '审核认定')$$, '42501', NULL,
                 'and a step of its register');
RESET ROLE;
SELECT throws_ok($$DELETE FROM parcel_gov.lease$$, '42501', NULL, 'a superuser''s local write is refused as well');
-- inputs only: the province evaluates the county itself and keeps its register
SELECT is(parcel_gov.subscribe_county('330604', results => false), 'parcel_gov_330604'::name,
          'registered again, for its inputs only');
SET LOCAL ROLE t_operator_shangyu;
SELECT lives_ok($$SELECT parcel_gov.transition('330604001001GB00001', 'confirmed', '审核认定')$$,
                'where only its inputs arrive, the register is the province''s');
SELECT throws_ok($$UPDATE parcel_gov.enterprise_year SET tax = tax + 1$$, '42501', NULL, 'and the inputs still the county''s');
RESET ROLE;
SELECT ok(parcel_gov.unsubscribe_county('330604'), 'unsubscribed');
SET LOCAL ROLE t_operator_shangyu;
SELECT lives_ok($$UPDATE parcel_gov.enterprise_year SET tax = tax + 1$$, 'then the county''s rows are written here again');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
