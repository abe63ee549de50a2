-- Every view is read-only, also for its owner: the write privileges a new
-- view gives its owner are taken back, so clients that ask PostgreSQL what
-- a login may do (QGIS asks has_table_privilege, DBeaver and BI tools read
-- information_schema) offer no editing on a view.  Edits go to the tables.
DO $$
DECLARE
    v regclass;
BEGIN
    FOR v IN SELECT c.oid FROM pg_catalog.pg_class c
             WHERE c.relnamespace = 'parcel_gov'::pg_catalog.regnamespace AND c.relkind = 'v' LOOP
        EXECUTE pg_catalog.format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON %s FROM CURRENT_USER', v);
    END LOOP;
END $$;
