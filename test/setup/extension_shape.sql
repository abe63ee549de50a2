-- extension_shape: what the installed parcel_gov consists of, one row per
-- member object, described so that two installs (a fresh one and one reached
-- by updates) can be compared with set_eq.  It covers every member's
-- definition, its comment and its privileges (also the initial ones); for tables also columns (name,
-- type, default, generation, NOT NULL, comment), constraints, indexes,
-- triggers, policies, row-level security, replica identity and options; for
-- views their query.  Column order is not compared: ALTER TABLE ADD COLUMN
-- can only append.  Also the schema's default privileges, the tables
-- pg_dump keeps and their filters, and the regions the extension ships.
-- A temporary view: include it inside the test's transaction.

-- The shipped regions as one digest (read by name at each call: the view
-- must not depend on the extension's table, which the tests drop).
CREATE FUNCTION pg_temp.shipped_regions_digest() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    d text;
BEGIN
    EXECUTE 'SELECT count(*) || '' '' || md5(string_agg(r::text, chr(10) ORDER BY r.code))
             FROM parcel_gov.region r WHERE r.shipped' INTO d;
    RETURN d;
END $$;

CREATE TEMP VIEW extension_shape AS
WITH member AS (
    SELECT d.classid, d.objid, d.objsubid
    FROM pg_depend d
    WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
      AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'parcel_gov')
)
SELECT pg_describe_object(m.classid, m.objid, m.objsubid) AS object,
       CASE m.classid
         WHEN 'pg_proc'::regclass THEN
           (SELECT concat_ws(' | ', p.prokind, p.provolatile, p.proisstrict, p.proparallel, p.prosecdef,
                             p.prosrc, pg_get_function_arguments(p.oid), pg_get_function_result(p.oid),
                             p.proconfig::text, p.prosqlbody IS NOT NULL, pg_get_userbyid(p.proowner),
                             (SELECT concat_ws(' ', a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggtranstype::regtype, a.agginitval)
                                FROM pg_aggregate a WHERE a.aggfnoid = p.oid))
              FROM pg_proc p WHERE p.oid = m.objid)
         WHEN 'pg_type'::regclass THEN
           (SELECT concat_ws(' | ', t.typtype, format_type(t.typbasetype, t.typtypmod),
                             (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid),
                             (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ',' ORDER BY a.attnum)
                                FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0),
                             (SELECT string_agg(pg_get_constraintdef(c.oid), ',') FROM pg_constraint c WHERE c.contypid = t.oid))
              FROM pg_type t WHERE t.oid = m.objid)
         WHEN 'pg_class'::regclass THEN
           (SELECT concat_ws(' | ', c.relkind, c.relrowsecurity, c.relforcerowsecurity, c.relreplident, c.reloptions::text,
                             CASE WHEN c.relkind = 'v' THEN pg_get_viewdef(c.oid) END,
                             (SELECT string_agg(concat_ws(' ', a.attname, format_type(a.atttypid, a.atttypmod),
                                                          a.attnotnull, a.attgenerated, a.attidentity,
                                                          pg_get_expr(ad.adbin, ad.adrelid),
                                                          col_description(c.oid, a.attnum)),
                                                ', ' ORDER BY a.attname)
                                FROM pg_attribute a LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
                             (SELECT string_agg(co.conname || ' ' || pg_get_constraintdef(co.oid), ', ' ORDER BY co.conname)
                                FROM pg_constraint co WHERE co.conrelid = c.oid),
                             (SELECT string_agg(pg_get_indexdef(i.indexrelid), ', ' ORDER BY pg_get_indexdef(i.indexrelid))
                                FROM pg_index i WHERE i.indrelid = c.oid),
                             (SELECT string_agg(pg_get_triggerdef(tg.oid) || ' ' || tg.tgenabled::text, ', ' ORDER BY tg.tgname)
                                FROM pg_trigger tg WHERE tg.tgrelid = c.oid AND NOT tg.tgisinternal),
                             (SELECT string_agg(concat_ws(' ', po.polname, po.polcmd, po.polpermissive, po.polroles::regrole[]::text,
                                                          pg_get_expr(po.polqual, po.polrelid), pg_get_expr(po.polwithcheck, po.polrelid)),
                                                ', ' ORDER BY po.polname)
                                FROM pg_policy po WHERE po.polrelid = c.oid))
              FROM pg_class c WHERE c.oid = m.objid)
       END AS definition,
       obj_description(m.objid, m.classid::regclass::text) AS comment,
       -- and the initial privileges pg_dump compares them with
       concat_ws(' | initial ', CASE m.classid
         WHEN 'pg_proc'::regclass THEN (SELECT p.proacl::text FROM pg_proc p WHERE p.oid = m.objid)
         WHEN 'pg_class'::regclass THEN
           (SELECT concat_ws(' | ', c.relacl::text,
                             (SELECT string_agg(a.attname || ' ' || a.attacl::text, ', ' ORDER BY a.attname)
                                FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attacl IS NOT NULL))
              FROM pg_class c WHERE c.oid = m.objid)
         WHEN 'pg_type'::regclass THEN (SELECT t.typacl::text FROM pg_type t WHERE t.oid = m.objid)
         WHEN 'pg_namespace'::regclass THEN
           (SELECT concat_ws(' | ', n.nspacl::text,
                             (SELECT string_agg(da.defaclobjtype::text || ' ' || da.defaclacl::text, ', ' ORDER BY da.defaclobjtype)
                                FROM pg_default_acl da WHERE da.defaclnamespace = n.oid))
              FROM pg_namespace n WHERE n.oid = m.objid)
       END,
       (SELECT string_agg(i.objsubid || ' ' || i.initprivs::text, ', ' ORDER BY i.objsubid)
          FROM pg_init_privs i WHERE i.objoid = m.objid AND i.classoid = m.classid)) AS privileges
FROM member m
UNION ALL
SELECT 'dumped ' || x.config::regclass::text, x.condition, NULL, NULL
FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS x(config, condition)
WHERE e.extname = 'parcel_gov'
UNION ALL
SELECT 'shipped regions', pg_temp.shipped_regions_digest(), NULL, NULL;
