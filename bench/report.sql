-- bench/report.sql: the run's figures; speed-up = plain SQL time / parcel_gov time.
\pset footer off
SELECT name AS "case",
       CASE workers WHEN 0 THEN 'serial' ELSE 'parallel (' || workers || ' workers)' END AS "plan",
       round(ours_ms::numeric, 1) AS "parcel_gov ms",
       round(plain_ms::numeric, 1) AS "plain SQL ms",
       round((plain_ms / ours_ms)::numeric, 2) AS "speed-up",
       CASE WHEN same THEN 'yes' ELSE 'NO' END AS "same answer"
FROM bench.result ORDER BY n;
