-- Region searches are prefix searches: a county is starts_with(region_code,
-- '330604'), a city '3306', the province ''.  A btree index serves a prefix
-- with a range only when the index's collation is "C" (byte order); the
-- region indexes take the database's collation, which is "C" only in a
-- database created so.  Debian's clusters default to C.UTF-8 (or the
-- system's locale, en_US.UTF-8, zh_CN.UTF-8), where every county's run, the
-- multi-year notice and every view read for a region scanned whole tables.
-- In such a database each region index gets a twin in collation "C" for the
-- prefix searches; the original stays for equality (region_code = '330604'
-- and joins on region_code use only an index of the column's collation).
-- A database's collation never changes (pg_dump's restore runs this script
-- again in the database it restores into).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_database d
                   WHERE d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database()
                     AND d.datlocprovider OPERATOR(pg_catalog.=) 'c'
                     AND d.datcollate OPERATOR(pg_catalog.=) ANY (ARRAY['C', 'POSIX'])) THEN
        CREATE INDEX parcel_region_prefix_idx ON parcel_gov.parcel (region_code COLLATE pg_catalog."C");
        CREATE INDEX enterprise_region_prefix_idx ON parcel_gov.enterprise (region_code COLLATE pg_catalog."C")
            INCLUDE (uscc, industry_code);
        CREATE INDEX evaluation_region_prefix_idx ON parcel_gov.evaluation (region_code COLLATE pg_catalog."C", year);
        CREATE INDEX evaluation_quarter_region_prefix_idx
            ON parcel_gov.evaluation_quarter (region_code COLLATE pg_catalog."C", year, quarter);
        -- a 宗地代码 starts with its county's code: a county's run reads its
        -- register rows, leases and open issues by a range of codes
        CREATE INDEX register_code_prefix_idx ON parcel_gov.register (parcel_code COLLATE pg_catalog."C");
        CREATE INDEX lease_code_prefix_idx ON parcel_gov.lease (parcel_code COLLATE pg_catalog."C");
        CREATE INDEX issue_open_code_prefix_idx ON parcel_gov.issue (parcel_code COLLATE pg_catalog."C")
            WHERE closed IS NULL;
    END IF;
END $$;
