-- The types of the README's reference: enums with their labels in order, the USCC domain.
BEGIN;
SELECT plan(12);

SELECT enum_has_labels('parcel_gov', 'grade', ARRAY['A', 'B', 'C', 'D']);
SELECT enum_has_labels('parcel_gov', 'batch',
  ARRAY['demolish_rebuild', 'rectify_upgrade', 'function_transform', 'shutdown_exit']);
SELECT enum_has_labels('parcel_gov', 'register_state',
  ARRAY['candidate', 'confirmed', 'registered', 'in_treatment', 'assessing', 'exited', 'rejected']);
SELECT enum_has_labels('parcel_gov', 'low_efficiency_kind',
  ARRAY['low_per_mu', 'grade_d', 'approved_unsupplied', 'supplied_unused', 'underused',
        'built_not_operating', 'below_target', 'idle', 'non_industrial', 'prohibited_industry',
        'scattered_polluting', 'collective_industrial']);
SELECT enum_has_labels('parcel_gov', 'disposal_route',
  ARRAY['purchase_storage', 'secondary_to_primary', 'upgrade_secondary', 'add_tertiary', 'take_back', 'redevelop', 'transfer']);
SELECT enum_has_labels('parcel_gov', 'issue_department', ARRAY['environment', 'safety', 'fire', 'illegal_building']);
SELECT has_domain('parcel_gov', 'uscc', 'domain parcel_gov.uscc exists');
SELECT domain_type_is('parcel_gov', 'uscc', 'text', 'parcel_gov.uscc is a text domain');
-- a real Fujian pilot code whose check character does not conform: an early
-- code, stored; a character outside the alphabet is still refused
SELECT is('91350100M0001TGQXM'::parcel_gov.uscc::text || ' ' || parcel_gov.uscc_early('91350100M0001TGQXM'),
          '91350100M0001TGQXM true', 'the domain stores an early code, which uscc_early names');
SELECT throws_ok($$SELECT '91350100M0001TGQXO'::parcel_gov.uscc$$, '23514',
                 'invalid unified social credit code "91350100M0001TGQXO": character 18 (''O'') is not in the GB 32100 character set 0-9 A-H J-N P-R T-U W-Y',
                 'the domain names the fault');
SELECT is_empty($$
  SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE n.nspname = 'parcel_gov' AND t.typtype IN ('e', 'd')
    AND coalesce(obj_description(t.oid, 'pg_type'), '') !~ '[一-龥]'$$,
  'every enum and domain has a comment with its Chinese terms');
SELECT is_empty($$
  SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = 'parcel_gov' AND obj_description(p.oid, 'pg_proc') IS NULL$$,
  'every function has a comment');

SELECT * FROM finish();
ROLLBACK;
