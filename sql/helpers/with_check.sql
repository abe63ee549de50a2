-- pg_temp.with_check(body): a 17-character USCC body with its GB 32100 check
-- character, for generated firms.
CREATE FUNCTION pg_temp.with_check(body text) RETURNS text LANGUAGE sql IMMUTABLE
RETURN body || substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
  (31 - (SELECT sum((strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(body, k, 1)) - 1)
                    * (power(3, k - 1)::bigint % 31)) FROM generate_series(1, 17) AS k) % 31)::int % 31 + 1, 1);
