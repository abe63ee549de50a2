-- quota_grade: rank quotas within a partition (A, B, C up to cumulative shares of the ranks, D the rest).
\set VERBOSITY verbose
SET search_path = parcel_gov, public;

-- 20 firms with distinct scores 100, 99, ..., 81 and quotas 0.20/0.80/0.95:
-- A = ranks 1..4 (20 × 0.20), B = 5..16 (20 × 0.80), C = 17..19 (20 × 0.95), D = 20.
SELECT grade, count(*), min(score), max(score)
FROM (SELECT score, quota_grade(score, 0.20, 0.80, 0.95) OVER (ORDER BY score DESC) AS grade
      FROM generate_series(81, 100) AS score) AS g
GROUP BY grade ORDER BY grade;

-- Ties share the better grade; NULL scores get NULL and are not counted.
-- Scores 90, 80, 80, 70, 60 (n = 5): A ≤ round(1.0) = 1, B ≤ round(4.0) = 4, C ≤ round(4.75) = 5.
-- rank: 90 → 1 (A), 80, 80 → 2 (B), 70 → 4 (B), 60 → 5 (C).
CREATE TEMP TABLE pool_scores (firm text, pool text, score float8);
INSERT INTO pool_scores VALUES
  ('f1', 'above', 90), ('f2', 'above', 80), ('f3', 'above', 80), ('f4', 'above', 70),
  ('f5', 'above', 60), ('f6', 'above', NULL), ('f7', 'above', NULL),
  -- another pool: three firms tie at the top across the A cut-off (round(5 × 0.2) = 1)
  ('g1', 'below', 50), ('g2', 'below', 50), ('g3', 'below', 50), ('g4', 'below', 20), ('g5', 'below', 10),
  -- a pool of one: A ≤ round(0.2) = 0, B ≤ round(0.8) = 1 → B
  ('h1', 'single', 42);
SELECT pool, firm, score, quota_grade(score, 0.20, 0.80, 0.95) OVER w AS grade
FROM pool_scores
WINDOW w AS (PARTITION BY pool ORDER BY score DESC)
ORDER BY pool, firm;

-- The same grades whatever the window's order: NULLS FIRST, ascending, or none.
SELECT count(*) AS rows_, count(*) FILTER (WHERE g1 IS NOT DISTINCT FROM g2
                                             AND g1 IS NOT DISTINCT FROM g3
                                             AND g1 IS NOT DISTINCT FROM g4) AS same_grade
FROM (SELECT quota_grade(score, 0.2, 0.8, 0.95) OVER (PARTITION BY pool ORDER BY score DESC NULLS LAST) AS g1,
             quota_grade(score, 0.2, 0.8, 0.95) OVER (PARTITION BY pool ORDER BY score DESC NULLS FIRST) AS g2,
             quota_grade(score, 0.2, 0.8, 0.95) OVER (PARTITION BY pool ORDER BY score) AS g3,
             quota_grade(score, 0.2, 0.8, 0.95) OVER (PARTITION BY pool ORDER BY firm) AS g4
      FROM pool_scores) AS g;

-- Round half up: 10 × 0.25 = 2.5 → 3 A; 10 × 0.35 = 3.5 → 4 A (decimal shares round as written).
SELECT count(*) FILTER (WHERE g25 = 'A') AS "3", count(*) FILTER (WHERE g35 = 'A') AS "4"
FROM (SELECT quota_grade(s, 0.25, 0.5, 0.9) OVER () AS g25, quota_grade(s, 0.35, 0.5, 0.9) OVER () AS g35
      FROM generate_series(1, 10) AS s) AS g;
-- Equal shares leave a grade empty: a = b = 0.5 gives no B.
SELECT string_agg(g::text, '' ORDER BY s DESC) AS "AAAAACCCCD"
FROM (SELECT s, quota_grade(s, 0.5, 0.5, 0.9) OVER () AS g FROM generate_series(1, 10) AS s) AS t;
-- Shares 0 and 1: nobody is A, nobody is D.
SELECT string_agg(g::text, '' ORDER BY s DESC) AS "BBBBCCCCCC"
FROM (SELECT s, quota_grade(s, 0, 0.4, 1) OVER () AS g FROM generate_series(1, 10) AS s) AS t;
-- An empty partition returns no rows; an all-NULL partition grades nobody.
SELECT quota_grade(score, 0.2, 0.8, 0.95) OVER () FROM pool_scores WHERE false;
SELECT count(*) AS rows_, count(g) AS graded
FROM (SELECT quota_grade(NULL::float8, 0.2, 0.8, 0.95) OVER () AS g FROM generate_series(1, 3)) AS t;

-- Against the plain-SQL definition with rank() and count(), on 5000 scores with
-- many ties and NULLs in 7 pools: no row differs, whether the window delivers
-- the scores ranked or in another order (which quota_grade then sorts itself).
CREATE TEMP TABLE many AS
SELECT i, i % 7 AS pool, CASE WHEN i % 11 = 0 THEN NULL ELSE ((i * 7919) % 503) / 4.0 END AS score
FROM generate_series(1, 5000) AS i;
SELECT count(*) AS rows_, count(*) FILTER (WHERE ours IS DISTINCT FROM reference) AS differing,
       count(*) FILTER (WHERE ours_unordered IS DISTINCT FROM reference) AS differing_unordered
FROM (SELECT quota_grade(score, 0.2, 0.8, 0.95) OVER (PARTITION BY pool ORDER BY score DESC) AS ours,
             quota_grade(score, 0.2, 0.8, 0.95) OVER (PARTITION BY pool ORDER BY i) AS ours_unordered,
             CASE WHEN score IS NULL THEN NULL
                  WHEN rnk <= floor(n * 0.20 + 0.5) THEN 'A'
                  WHEN rnk <= floor(n * 0.80 + 0.5) THEN 'B'
                  WHEN rnk <= floor(n * 0.95 + 0.5) THEN 'C'
                  ELSE 'D' END::grade AS reference
      FROM (SELECT i, score, pool,
                   rank() OVER (PARTITION BY pool ORDER BY score DESC NULLS LAST) AS rnk,
                   count(score) OVER (PARTITION BY pool) AS n
            FROM many) AS r) AS c;

-- Bad shares and scores: 22023.
SELECT quota_grade(1, 1.2, 0.8, 0.95) OVER ();
SELECT quota_grade(1, -0.1, 0.8, 0.95) OVER ();
SELECT quota_grade(1, 0.5, 0.4, 0.95) OVER ();
SELECT quota_grade(1, 0.2, 0.8, 0.7) OVER ();
SELECT quota_grade(1, 'NaN', 0.8, 0.95) OVER ();
SELECT quota_grade(1, NULL, 0.8, 0.95) OVER ();
SELECT quota_grade(s, s / 100.0, 0.8, 0.95) OVER () FROM generate_series(1, 2) AS s;
SELECT quota_grade('NaN', 0.2, 0.8, 0.95) OVER ();
SELECT quota_grade('Infinity', 0.2, 0.8, 0.95) OVER ();
