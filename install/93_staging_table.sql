-- The staging table an import reads.  Reading a table runs its owner's
-- code (row-level security policies, casts of their types) with the
-- reader's rights: an import reads only the caller's own plain tables.
CREATE FUNCTION parcel_gov.staging_table_check(staging regclass, loaded_by text)
    RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = staging AND c.relkind IN ('r', 'p', 'f')) THEN
        RAISE EXCEPTION '% is not a table', staging USING ERRCODE = '42809',
            HINT = format('Load the file into a table (%s); a view''s rows can go in with CREATE TABLE … AS SELECT.', loaded_by);
    END IF;
    IF (SELECT c.relowner FROM pg_class c WHERE c.oid = staging) <> parcel_gov.invoker() THEN
        RAISE EXCEPTION '% belongs to %, not to %', staging,
              (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = staging), parcel_gov.invoker()::regrole
            USING ERRCODE = '42501',
            HINT = 'Import a staging table of your own: load the file yourself, or CREATE TABLE staging.mine AS TABLE theirs.';
    END IF;
END $$;
COMMENT ON FUNCTION parcel_gov.staging_table_check(regclass, text) IS
  'internal: 42809 unless the staging table is a plain (or foreign) table, 42501 unless the caller owns it: reading another role''s table runs its owner''s policies with the importer''s rights';
