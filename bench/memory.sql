-- bench/memory.sql: what evaluate(2024) holds at its peak, in a backend of its
-- own: the engine's memory context (DEBUG1 "the run held … MB"), and the
-- backend's peak resident set less the shared buffers it mapped.  A forced
-- run (1.12.0): an unforced rerun on unchanged data reads no county.
\set ON_ERROR_STOP on
SET client_min_messages = debug1;
SELECT CASE WHEN EXISTS (SELECT FROM pg_proc WHERE proname = 'evaluate' AND 'force' = ANY (proargnames))
            THEN 'SELECT parcel_gov.evaluate(2024, NULL, true) AS graded'
            ELSE 'SELECT parcel_gov.evaluate(2024) AS graded' END AS run \gset
:run;
SET client_min_messages = warning;
WITH status AS (SELECT pg_read_file('/proc/self/status') AS s)
SELECT round((regexp_match(s, 'VmHWM:\s+(\d+) kB'))[1]::numeric / 1024) AS peak_rss_mb,
       round((regexp_match(s, 'RssShmem:\s+(\d+) kB'))[1]::numeric / 1024) AS shared_mapped_mb,
       round(((regexp_match(s, 'VmHWM:\s+(\d+) kB'))[1]::numeric
              - (regexp_match(s, 'RssShmem:\s+(\d+) kB'))[1]::numeric) / 1024) AS peak_private_mb
FROM status;
