-- parcel_gov 0.3.0 → 0.4.0: the low-efficiency parcel register.
-- Built by the Makefile: this head, then the install/ files that 0.4.0 added.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '0.4.0'" to load this file. \quit

-- evaluate() now also syncs the register: install/85_evaluate.sql follows and
-- creates it again (nothing depends on it).
DROP FUNCTION parcel_gov.evaluate(integer, text);
-- evaluate(year, region): the yearly per-mu evaluation, set-based SQL over the
-- C pieces (indicators, indicators_agg, ratio_score/minmax_score, quota_grade).

CREATE FUNCTION parcel_gov.evaluate(year integer, region text DEFAULT NULL)
    RETURNS integer
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    -- compiling these large plans costs more than running them
    SET jit = off
AS $$
#variable_conflict use_column
DECLARE
    y constant integer := evaluate.year;
    prefix constant text := parcel_gov.region_prefix(evaluate.region);
    span daterange;
    started constant timestamptz := clock_timestamp();
    n_firms integer;
    n_graded integer;
    n_changed integer;
    n_removed integer;
    msg record;
BEGIN
    IF y IS NULL THEN
        RAISE EXCEPTION 'evaluate: year must not be NULL' USING ERRCODE = '22023',
            HINT = 'Call parcel_gov.evaluate(2024) or parcel_gov.evaluate(2024, ''330604'').';
    END IF;
    span := daterange(make_date(y, 1, 1), make_date(y + 1, 1, 1));
    -- One run per year at a time: two runs over overlapping regions would interleave their rewrites.
    PERFORM pg_advisory_xact_lock(hashtext('parcel_gov.evaluate'), y);

    IF NOT EXISTS (SELECT FROM parcel_gov.enterprise_year f JOIN parcel_gov.enterprise e ON e.uscc = f.uscc
                   WHERE f.year = y AND starts_with(e.region_code, prefix)) THEN
        RAISE NOTICE 'evaluate: no firm data for % in region %: nothing evaluated, earlier results kept',
                     y, coalesce(nullif(prefix, ''), 'all');
        RETURN 0;
    END IF;
    -- A second run in the same transaction starts afresh.
    IF to_regclass('pg_temp.eval_firm') IS NOT NULL THEN
        DROP TABLE pg_temp.eval_firm, pg_temp.eval_pool, pg_temp.eval_score, pg_temp.eval_result;
    END IF;

    -- Each firm: its figures, net land, rule pool, industry group and why it is not graded.
    CREATE TEMP TABLE eval_firm ON COMMIT DROP AS
    WITH firm AS (
        SELECT e.uscc, e.region_code, e.industry_code, f.size_class AS pool,
               f.tax, f.value_added, f.revenue, f.rd_expense, f.staff, f.energy_tce, f.emission_t,
               f.electricity_kwh, f.exempt_reason, f.veto_reason, f.bonus, f.deduction
        FROM parcel_gov.enterprise_year f
        JOIN parcel_gov.enterprise e ON e.uscc = f.uscc
        WHERE f.year = y AND starts_with(e.region_code, prefix)
    ), held AS (
        SELECT p.holder_uscc AS uscc, sum(p.area_mu) AS mu, min(p.supply_date) AS first_supply
        FROM parcel_gov.parcel p JOIN firm ON firm.uscc = p.holder_uscc
        GROUP BY p.holder_uscc
    ), leased_out AS (
        SELECT p.holder_uscc AS uscc, sum(l.area_mu) AS mu, count(DISTINCT l.lessee_uscc) AS lessees
        FROM parcel_gov.lease l
        JOIN parcel_gov.parcel p ON p.code = l.parcel_code
        JOIN firm ON firm.uscc = p.holder_uscc
        WHERE l.during && span
        GROUP BY p.holder_uscc
    ), leased_in AS (
        SELECT l.lessee_uscc AS uscc, sum(l.area_mu) AS mu
        FROM parcel_gov.lease l JOIN firm ON firm.uscc = l.lessee_uscc
        WHERE l.during && span
        GROUP BY l.lessee_uscc
    ), rules AS MATERIALIZED (
        -- once per region: an inlined CTE would call rule_set_for for every firm
        SELECT r.region_code, parcel_gov.rule_set_for(r.region_code, y) AS rule_set_id
        FROM (SELECT DISTINCT firm.region_code FROM firm) AS r
    ), netted AS (
        SELECT firm.*, rules.rule_set_id,
               coalesce(held.mu, 0) AS held_mu, coalesce(leased_out.mu, 0) AS leased_out_mu,
               coalesce(leased_in.mu, 0) AS leased_in_mu,
               coalesce(held.mu, 0) - coalesce(leased_out.mu, 0) + coalesce(leased_in.mu, 0) AS area_mu,
               coalesce(leased_out.lessees, 0) AS lessees, held.first_supply
        FROM firm
        JOIN rules ON rules.region_code = firm.region_code
        LEFT JOIN held ON held.uscc = firm.uscc
        LEFT JOIN leased_out ON leased_out.uscc = firm.uscc
        LEFT JOIN leased_in ON leased_in.uscc = firm.uscc
    )
    SELECT n.*,
           rp.a_share, rp.b_share, rp.c_share,
           CASE WHEN rp.group_by_industry THEN
             coalesce((SELECT g.industry_group FROM parcel_gov.rule_industry_group g
                       WHERE g.rule_set_id = n.rule_set_id
                         AND EXISTS (SELECT FROM unnest(g.industry_prefixes) AS pre WHERE starts_with(n.industry_code, pre))
                       ORDER BY g.industry_group LIMIT 1), '其他')
           END AS industry_group,
           CASE WHEN n.lessees = 0 THEN 0
                ELSE rp.rental_first_deduction + (n.lessees - 1) * rp.rental_further_deduction END AS rental_deduction,
           CASE
             WHEN rp.pool IS NULL OR ri.pool IS NULL THEN 'no rule for this pool'
             WHEN n.area_mu <= 0 THEN 'no land'
             WHEN n.exempt_reason IS NOT NULL THEN 'exempt (T): ' || n.exempt_reason
             WHEN rs.new_land_exempt_years IS NOT NULL
                  AND n.first_supply > make_date(y - rs.new_land_exempt_years, 12, 31)
               THEN format('new land: supplied %s', n.first_supply)
             WHEN n.area_mu < rp.land_floor_mu
               THEN format('under the land floor: %s < %s mu', round(n.area_mu::numeric, 2), rp.land_floor_mu)
           END AS not_graded,
           parcel_gov.indicators(n.tax, n.value_added, n.revenue, n.rd_expense, n.staff, n.energy_tce,
                                 n.emission_t, n.electricity_kwh,
                                 CASE WHEN n.area_mu > 0 THEN n.area_mu END) AS ind
    FROM netted n
    LEFT JOIN parcel_gov.rule_set rs ON rs.id = n.rule_set_id
    LEFT JOIN parcel_gov.rule_pool rp ON rp.rule_set_id = n.rule_set_id AND rp.pool = n.pool
    LEFT JOIN (SELECT DISTINCT rule_set_id, pool FROM parcel_gov.rule_indicator) AS ri
           ON ri.rule_set_id = n.rule_set_id AND ri.pool = n.pool;
    ANALYZE pg_temp.eval_firm (uscc, region_code, pool, rule_set_id, not_graded);   -- temp tables have no statistics until analysed

    -- Each pool's own indicators: ratios of sums over the firms it grades.
    CREATE TEMP TABLE eval_pool ON COMMIT DROP AS
    SELECT region_code, pool, rule_set_id, count(*)::integer AS firms,
           parcel_gov.indicators_agg(tax, value_added, revenue, rd_expense, staff, energy_tce,
                                     emission_t, electricity_kwh, area_mu) AS ind
    FROM eval_firm WHERE not_graded IS NULL
    GROUP BY region_code, pool, rule_set_id;
    ANALYZE pg_temp.eval_pool (region_code, pool);

    -- Each graded firm's score on each indicator of its rule.
    CREATE TEMP TABLE eval_score ON COMMIT DROP AS
    WITH v AS (
        SELECT f.uscc, f.region_code, f.pool, f.rule_set_id, ri.indicator, ri.weight, ri.method, ri.cap, ri.missing,
               parcel_gov.indicator_value(f.ind, ri.indicator) AS value,
               parcel_gov.indicator_value(p.ind, ri.indicator) AS pool_value,
               coalesce(ri.benchmark_fixed,
                        parcel_gov.indicator_value(p.ind, ri.indicator) * ri.benchmark_multiplier) AS benchmark,
               p.firms
        FROM eval_firm f
        JOIN eval_pool p ON p.region_code = f.region_code AND p.pool = f.pool
        JOIN parcel_gov.rule_indicator ri ON ri.rule_set_id = f.rule_set_id AND ri.pool = f.pool
        WHERE f.not_graded IS NULL
    ), ranged AS (
        SELECT v.*, min(v.value) OVER w AS lo, max(v.value) OVER w AS hi
        FROM v WINDOW w AS (PARTITION BY v.region_code, v.pool, v.indicator)
    ), scored AS (
        SELECT ranged.*,
               CASE WHEN ranged.value IS NULL THEN NULL
                    WHEN ranged.method = 'minmax' THEN parcel_gov.minmax_score(ranged.value, ranged.lo, ranged.hi, ranged.weight)
                    WHEN ranged.benchmark > 0 THEN parcel_gov.ratio_score(ranged.value, ranged.benchmark, ranged.weight, ranged.cap)
               END AS own_score
        FROM ranged
    )
    SELECT scored.*,
           -- the pool mean is an exact ratio of sums, so reruns give the same bits
           CASE WHEN scored.own_score IS NOT NULL THEN scored.own_score
                WHEN scored.missing = 'pool_mean' THEN
                  coalesce(parcel_gov.per_mu_agg(scored.own_score, 1)
                             OVER (PARTITION BY scored.region_code, scored.pool, scored.indicator), 0)
                ELSE 0 END AS score
    FROM scored;
    ANALYZE pg_temp.eval_score (uscc, region_code, pool, indicator);

    FOR msg IN SELECT DISTINCT region_code, pool, indicator, benchmark FROM eval_score
             WHERE method = 'ratio' AND NOT benchmark > 0 ORDER BY 1, 2, 3 LOOP
        RAISE NOTICE 'evaluate: region % pool %: benchmark of % is %, so no firm scores on it',
                     msg.region_code, msg.pool, msg.indicator, coalesce(msg.benchmark::text, 'missing');
    END LOOP;

    -- Totals, then grades by quota within each pool (and industry group).
    CREATE TEMP TABLE eval_result ON COMMIT DROP AS
    WITH pivot AS (
        SELECT uscc,
               max(score) FILTER (WHERE indicator = 'tax_per_mu') AS score_tax_per_mu,
               max(score) FILTER (WHERE indicator = 'va_per_mu') AS score_va_per_mu,
               max(score) FILTER (WHERE indicator = 'revenue_per_mu') AS score_revenue_per_mu,
               max(score) FILTER (WHERE indicator = 'labour_productivity') AS score_labour_productivity,
               max(score) FILTER (WHERE indicator = 'va_per_energy') AS score_va_per_energy,
               max(score) FILTER (WHERE indicator = 'va_per_emission') AS score_va_per_emission,
               max(score) FILTER (WHERE indicator = 'rd_intensity') AS score_rd_intensity,
               max(score) FILTER (WHERE indicator = 'tax_per_kwh') AS score_tax_per_kwh
        FROM eval_score GROUP BY uscc
    ), totalled AS (
        SELECT f.*, s.score_tax_per_mu, s.score_va_per_mu, s.score_revenue_per_mu, s.score_labour_productivity,
               s.score_va_per_energy, s.score_va_per_emission, s.score_rd_intensity, s.score_tax_per_kwh,
               CASE WHEN f.not_graded IS NULL THEN
                 -- a fixed order of additions, so equal firms get equal bits
                 coalesce(s.score_tax_per_mu, 0) + coalesce(s.score_va_per_mu, 0) + coalesce(s.score_revenue_per_mu, 0)
                 + coalesce(s.score_labour_productivity, 0) + coalesce(s.score_va_per_energy, 0)
                 + coalesce(s.score_va_per_emission, 0) + coalesce(s.score_rd_intensity, 0)
                 + coalesce(s.score_tax_per_kwh, 0) + f.bonus - f.deduction - f.rental_deduction
               END AS score
        FROM eval_firm f LEFT JOIN pivot s ON s.uscc = f.uscc
    ), graded AS (
        SELECT t.uscc, rank() OVER w AS rank, count(*) OVER (PARTITION BY t.region_code, t.pool, t.industry_group) AS pool_size,
               parcel_gov.quota_grade(t.score, t.a_share, t.b_share, t.c_share) OVER w AS grade_initial
        FROM totalled t WHERE t.not_graded IS NULL
        WINDOW w AS (PARTITION BY t.region_code, t.pool, t.industry_group ORDER BY t.score DESC)
    )
    SELECT t.*, g.rank::integer AS rank, g.pool_size::integer AS pool_size, g.grade_initial,
           -- a veto turns a grade into D; a firm not graded stays without one
           CASE WHEN g.grade_initial IS NOT NULL AND t.veto_reason IS NOT NULL THEN 'D'::parcel_gov.grade
                ELSE g.grade_initial END AS grade
    FROM totalled t LEFT JOIN graded g ON g.uscc = t.uscc;
    ANALYZE pg_temp.eval_result (uscc);

    -- Write: unchanged rows are left alone, changed ones updated, new ones added,
    -- rows of firms no longer evaluated in the region removed.
    INSERT INTO parcel_gov.evaluation AS e (
        year, uscc, region_code, rule_set_id, pool, industry_group, held_mu, leased_out_mu, leased_in_mu,
        area_mu, tax, value_added, revenue, tax_per_mu, va_per_mu, revenue_per_mu, labour_productivity,
        va_per_energy, va_per_emission, rd_intensity, tax_per_kwh, score_tax_per_mu, score_va_per_mu,
        score_revenue_per_mu, score_labour_productivity, score_va_per_energy, score_va_per_emission,
        score_rd_intensity, score_tax_per_kwh, bonus, deduction, rental_deduction, score, rank, pool_size,
        grade_initial, grade, not_graded, veto_reason, evaluated_at)
    SELECT y, r.uscc, r.region_code, r.rule_set_id, r.pool, r.industry_group, r.held_mu, r.leased_out_mu,
           r.leased_in_mu, r.area_mu, r.tax, r.value_added, r.revenue, (r.ind).tax_per_mu, (r.ind).va_per_mu,
           (r.ind).revenue_per_mu, (r.ind).labour_productivity, (r.ind).va_per_energy, (r.ind).va_per_emission,
           (r.ind).rd_intensity, (r.ind).tax_per_kwh, r.score_tax_per_mu, r.score_va_per_mu, r.score_revenue_per_mu,
           r.score_labour_productivity, r.score_va_per_energy, r.score_va_per_emission, r.score_rd_intensity,
           r.score_tax_per_kwh, r.bonus, r.deduction, r.rental_deduction, r.score, r.rank, r.pool_size,
           r.grade_initial, r.grade, r.not_graded, r.veto_reason, started
    FROM eval_result r
    ON CONFLICT ON CONSTRAINT evaluation_pkey DO UPDATE SET
        region_code = excluded.region_code, rule_set_id = excluded.rule_set_id, pool = excluded.pool,
        industry_group = excluded.industry_group, held_mu = excluded.held_mu,
        leased_out_mu = excluded.leased_out_mu, leased_in_mu = excluded.leased_in_mu, area_mu = excluded.area_mu,
        tax = excluded.tax, value_added = excluded.value_added, revenue = excluded.revenue,
        tax_per_mu = excluded.tax_per_mu, va_per_mu = excluded.va_per_mu, revenue_per_mu = excluded.revenue_per_mu,
        labour_productivity = excluded.labour_productivity, va_per_energy = excluded.va_per_energy,
        va_per_emission = excluded.va_per_emission, rd_intensity = excluded.rd_intensity,
        tax_per_kwh = excluded.tax_per_kwh, score_tax_per_mu = excluded.score_tax_per_mu,
        score_va_per_mu = excluded.score_va_per_mu, score_revenue_per_mu = excluded.score_revenue_per_mu,
        score_labour_productivity = excluded.score_labour_productivity,
        score_va_per_energy = excluded.score_va_per_energy, score_va_per_emission = excluded.score_va_per_emission,
        score_rd_intensity = excluded.score_rd_intensity, score_tax_per_kwh = excluded.score_tax_per_kwh,
        bonus = excluded.bonus, deduction = excluded.deduction, rental_deduction = excluded.rental_deduction,
        score = excluded.score, rank = excluded.rank, pool_size = excluded.pool_size,
        grade_initial = excluded.grade_initial, grade = excluded.grade, not_graded = excluded.not_graded,
        veto_reason = excluded.veto_reason, evaluated_at = excluded.evaluated_at
    WHERE (e.region_code, e.rule_set_id, e.pool, e.industry_group, e.held_mu, e.leased_out_mu, e.leased_in_mu,
           e.area_mu, e.tax, e.value_added, e.revenue, e.tax_per_mu, e.va_per_mu, e.revenue_per_mu,
           e.labour_productivity, e.va_per_energy, e.va_per_emission, e.rd_intensity, e.tax_per_kwh,
           e.score_tax_per_mu, e.score_va_per_mu, e.score_revenue_per_mu, e.score_labour_productivity,
           e.score_va_per_energy, e.score_va_per_emission, e.score_rd_intensity, e.score_tax_per_kwh,
           e.bonus, e.deduction, e.rental_deduction, e.score, e.rank, e.pool_size, e.grade_initial, e.grade,
           e.not_graded, e.veto_reason)
          IS DISTINCT FROM
          (excluded.region_code, excluded.rule_set_id, excluded.pool, excluded.industry_group, excluded.held_mu,
           excluded.leased_out_mu, excluded.leased_in_mu, excluded.area_mu, excluded.tax, excluded.value_added,
           excluded.revenue, excluded.tax_per_mu, excluded.va_per_mu, excluded.revenue_per_mu,
           excluded.labour_productivity, excluded.va_per_energy, excluded.va_per_emission, excluded.rd_intensity,
           excluded.tax_per_kwh, excluded.score_tax_per_mu, excluded.score_va_per_mu, excluded.score_revenue_per_mu,
           excluded.score_labour_productivity, excluded.score_va_per_energy, excluded.score_va_per_emission,
           excluded.score_rd_intensity, excluded.score_tax_per_kwh, excluded.bonus, excluded.deduction,
           excluded.rental_deduction, excluded.score, excluded.rank, excluded.pool_size, excluded.grade_initial,
           excluded.grade, excluded.not_graded, excluded.veto_reason);
    GET DIAGNOSTICS n_changed = ROW_COUNT;

    -- NOT IN over a hashed subplan: the right plan even when the table's
    -- statistics are stale (as right after a bulk load)
    DELETE FROM parcel_gov.evaluation e
    WHERE e.year = y AND starts_with(e.region_code, prefix)
      AND e.uscc NOT IN (SELECT r.uscc FROM eval_result r);
    GET DIAGNOSTICS n_removed = ROW_COUNT;

    DELETE FROM parcel_gov.evaluation_benchmark b WHERE b.year = y AND starts_with(b.region_code, prefix);
    INSERT INTO parcel_gov.evaluation_benchmark
    SELECT y, region_code, pool, indicator, min(rule_set_id), min(benchmark), min(pool_value), min(lo), min(hi), min(firms)
    FROM eval_score GROUP BY region_code, pool, indicator;

    SELECT count(*), count(*) FILTER (WHERE not_graded IS NULL) INTO n_firms, n_graded FROM eval_result;
    FOR msg IN SELECT split_part(not_graded, ':', 1) AS why, count(*) AS n FROM eval_result
             WHERE not_graded IS NOT NULL GROUP BY 1 ORDER BY 1 LOOP
        RAISE NOTICE 'evaluate: % firm(s) not graded: %', msg.n, msg.why;
    END LOOP;
    SELECT count(*) AS n INTO msg FROM parcel_gov.parcel p
    WHERE p.holder_uscc IS NULL AND starts_with(p.region_code, prefix);
    IF msg.n > 0 THEN
        RAISE NOTICE 'evaluate: % parcel(s) in the region have no holder and are not evaluated', msg.n;
    END IF;

    PERFORM parcel_gov.register_sync(y, prefix);

    INSERT INTO parcel_gov.evaluation_run (year, region_prefix, started_at, firms, graded, changed)
    VALUES (y, prefix, started, n_firms, n_graded, n_changed + n_removed);
    RETURN n_graded;
END $$;
COMMENT ON FUNCTION parcel_gov.evaluate(integer, text) IS
  '亩均效益评价: evaluates every firm of a region (county code, city, province prefix, or NULL for all) for a year under its rule set, rewrites that year''s evaluation rows of the region (unchanged rows untouched), and returns the number of firms graded';
-- The low-efficiency parcel register (低效工业用地数据库, 一地一档) and its
-- history (docs/rules.md, The register): C triggers keep the state machine and write one
-- register_event per change (src/register_trigger.c).

CREATE TABLE parcel_gov.register (
    parcel_code       parcel_gov.parcel_code PRIMARY KEY REFERENCES parcel_gov.parcel,
    fid               bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    state             parcel_gov.register_state NOT NULL DEFAULT 'candidate',
    previous_state    parcel_gov.register_state,
    kinds             parcel_gov.low_efficiency_kind[] NOT NULL DEFAULT '{}',
    batch             parcel_gov.batch,
    plan              text,
    deadline          date,
    state_since       timestamptz NOT NULL DEFAULT pg_catalog.now(),
    entered_at        timestamptz,
    exited_at         timestamptz,
    exit_reason       text CONSTRAINT register_exit_reason_known
                      CHECK (exit_reason IN ('re_evaluated', 'accepted', 'recovered', 'idle_disposed', 'redeveloped')),
    clears_thresholds boolean,
    evaluated_year    integer,
    reason            text,
    evidence          jsonb CONSTRAINT register_evidence_is_object
                      CHECK (evidence IS NULL OR jsonb_typeof(evidence) = 'object')
);
COMMENT ON TABLE parcel_gov.register IS
  '低效工业用地数据库 (one row per parcel, 一地一档): state 调查核实 → 审核认定 → 建档入库 → 整治提升 → 评估 → 出库 (previous_state: where its latest change came from), kinds (低效类型), batch (四个一批), plan and deadline, entered_at (入库), exited_at (出库), exit_reason; reason/evidence are those of the latest change';

CREATE TABLE parcel_gov.register_event (
    id          bigint GENERATED ALWAYS AS IDENTITY (CACHE 100) PRIMARY KEY,
    parcel_code text NOT NULL,
    from_state  parcel_gov.register_state,
    to_state    parcel_gov.register_state NOT NULL,
    kinds       parcel_gov.low_efficiency_kind[] NOT NULL,
    batch       parcel_gov.batch,
    at          timestamptz NOT NULL DEFAULT pg_catalog.now(),
    actor       name NOT NULL DEFAULT current_user,
    reason      text,
    evidence    jsonb
);
COMMENT ON TABLE parcel_gov.register_event IS
  '登记册变更记录 (append-only history of the register): every change, its actor, time, reason and evidence; written only by the register''s trigger';
CREATE INDEX register_event_parcel_idx ON parcel_gov.register_event (parcel_code, id);

CREATE FUNCTION parcel_gov.register_guard() RETURNS trigger
    AS 'MODULE_PATHNAME', 'register_guard' LANGUAGE C;
COMMENT ON FUNCTION parcel_gov.register_guard() IS
  'Trigger: the register''s state machine (55000 for an illegal step, 23502 for a missing batch, exit reason or reason)';
-- It runs SQL through SPI; every name in that SQL is schema-qualified, so it
-- needs no SET search_path (which would cost a GUC save and restore per statement).
CREATE FUNCTION parcel_gov.register_record() RETURNS trigger
    AS 'MODULE_PATHNAME', 'register_record' LANGUAGE C;
COMMENT ON FUNCTION parcel_gov.register_record() IS
  'Trigger: one register_event per changed register row, written in one statement';
CREATE FUNCTION parcel_gov.history_guard() RETURNS trigger
    AS 'MODULE_PATHNAME', 'history_guard' LANGUAGE C;
COMMENT ON FUNCTION parcel_gov.history_guard() IS
  'Trigger: the register''s history is append-only and register rows are never deleted (42501)';

CREATE TRIGGER register_guard BEFORE INSERT OR UPDATE ON parcel_gov.register
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.register_guard();
CREATE TRIGGER register_record_insert AFTER INSERT ON parcel_gov.register
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.register_record();
-- Only the new rows: the guard keeps previous_state, so no old-row copy is needed.
CREATE TRIGGER register_record_update AFTER UPDATE ON parcel_gov.register
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.register_record();
CREATE TRIGGER register_never_deleted BEFORE DELETE ON parcel_gov.register
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.history_guard();
CREATE TRIGGER register_never_truncated BEFORE TRUNCATE ON parcel_gov.register
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.history_guard();
-- per statement: a bulk move writes its events in one INSERT, checked once
CREATE TRIGGER register_event_append_only BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.register_event
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.history_guard();
CREATE TRIGGER register_event_never_truncated BEFORE TRUNCATE ON parcel_gov.register_event
    FOR EACH STATEMENT EXECUTE FUNCTION parcel_gov.history_guard();

-- One step of a parcel through the register; a parcel not yet in it enters as a candidate.
CREATE FUNCTION parcel_gov.transition(parcel_code text, to_state parcel_gov.register_state,
                                      reason text, evidence jsonb DEFAULT NULL)
    RETURNS parcel_gov.register
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_variable
DECLARE
    result parcel_gov.register;
BEGIN
    IF NOT EXISTS (SELECT FROM parcel_gov.parcel p WHERE p.code = parcel_code) THEN
        RAISE EXCEPTION 'no parcel %', parcel_code USING ERRCODE = '22023',
            HINT = 'transition() takes the parcel''s 宗地代码 as in parcel_gov.parcel.';
    END IF;
    UPDATE parcel_gov.register r
    SET state = to_state, reason = transition.reason, evidence = transition.evidence
    WHERE r.parcel_code = transition.parcel_code
    RETURNING * INTO result;
    IF NOT FOUND THEN
        INSERT INTO parcel_gov.register (parcel_code, state, reason, evidence)
        VALUES (transition.parcel_code, to_state, transition.reason, transition.evidence)
        RETURNING * INTO result;
    END IF;
    RETURN result;
END $$;
COMMENT ON FUNCTION parcel_gov.transition(text, parcel_gov.register_state, text, jsonb) IS
  'Moves a parcel one step in the register (or enters it as a candidate), with a reason and evidence (a JSON object); the register''s trigger checks the step and records it';

SELECT pg_catalog.pg_extension_config_dump('parcel_gov.register', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.register', 'fid'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.register_event', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.register_event', 'id'), '');
-- Low-efficiency kinds and the four batches (docs/rules.md, src/low_efficiency.c),
-- the parcel-level view of the evaluation, and the register's yearly sync.

-- Rule data a county may set differently.
ALTER TABLE parcel_gov.rule_set
    ADD COLUMN non_industrial_since date NOT NULL DEFAULT '1999-01-01';
COMMENT ON COLUMN parcel_gov.rule_set.non_industrial_since IS
  '占工非工: industrial land supplied on or after this date and used for non-industrial business is low-efficiency';
ALTER TABLE parcel_gov.parcel
    ADD COLUMN fails_acceptance boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN parcel_gov.parcel.fails_acceptance IS
  'cannot pass environment, fire or safety acceptance even after rectification (关停退出)';

CREATE FUNCTION parcel_gov.low_efficiency_kinds(tax_per_mu double precision, low_tax_per_mu double precision,
        persistent_low boolean, grade parcel_gov.grade, land_status text, supply_date date,
        actual_industrial boolean, non_industrial_since date, prohibited_industry boolean)
    RETURNS parcel_gov.low_efficiency_kind[]
    AS 'MODULE_PATHNAME', 'low_efficiency_kinds'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.low_efficiency_kinds(double precision, double precision, boolean, parcel_gov.grade,
        text, date, boolean, date, boolean) IS
  '低效类型 of a parcel: low_per_mu (per-mu tax under the pool''s line, or under the 桐庐 line three years running), grade_d, the 五未 statuses and idle from land_status, non_industrial (占工非工: supplied on or after the cut-off, now not industrial), prohibited_industry; empty when none';

CREATE FUNCTION parcel_gov.four_batch(kinds parcel_gov.low_efficiency_kind[], backward_capacity boolean,
        fails_acceptance boolean, plan_conforming boolean, planned_industrial boolean, building_condition text)
    RETURNS parcel_gov.batch
    AS 'MODULE_PATHNAME', 'four_batch'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION parcel_gov.four_batch(parcel_gov.low_efficiency_kind[], boolean, boolean, boolean, boolean, text) IS
  '四个一批, first match wins: 关停退出 (backward capacity, prohibited industry, fails acceptance), 功能转型 (not conforming to the plan or no longer industrial), 拆除重建 (buildings poor or dilapidated), 整治提升 (the rest); NULL without a kind';

-- Each parcel in each evaluated year: the per-mu figures of the firms using
-- it (holder for what it has not leased out, lessees for their leases), its
-- holder's grade, its kinds and batch, and its register state.
CREATE VIEW parcel_gov.v_parcel_efficiency WITH (security_invoker = true) AS
WITH years AS (
    SELECT DISTINCT e.region_code, e.year FROM parcel_gov.evaluation e
), used AS (
    SELECT u.year, u.parcel_code,
           sum(u.area_mu * e.tax_per_mu) / nullif(sum(u.area_mu) FILTER (WHERE e.tax_per_mu IS NOT NULL), 0) AS tax_per_mu,
           sum(u.area_mu * e.va_per_mu) / nullif(sum(u.area_mu) FILTER (WHERE e.va_per_mu IS NOT NULL), 0) AS va_per_mu
    FROM parcel_gov.v_parcel_use u
    LEFT JOIN parcel_gov.evaluation e ON e.uscc = u.uscc AND e.year = u.year
    GROUP BY u.year, u.parcel_code
)
SELECT p.fid * 10000 + y.year AS fid, p.code, y.year, p.region_code, rg.name AS region_name,
       p.holder_uscc, f.name AS holder_name, p.area_mu, u.tax_per_mu, u.va_per_mu,
       h.uscc IS NOT NULL AS holder_evaluated, h.pool, h.grade, parcel_gov.label(h.grade) AS grade_label,
       parcel_gov.tax_tier(u.tax_per_mu) AS tax_tier,
       k.kinds,
       parcel_gov.four_batch(k.kinds, fy.backward_capacity, p.fails_acceptance, p.plan_conforming,
                             p.planned_industrial, p.building_condition) AS batch,
       r.state AS register_state, p.geom,
       ST_X(ST_Transform(ST_PointOnSurface(p.geom), 4326)) AS lon,
       ST_Y(ST_Transform(ST_PointOnSurface(p.geom), 4326)) AS lat
FROM parcel_gov.parcel p
JOIN years y ON y.region_code = p.region_code
LEFT JOIN used u ON u.parcel_code = p.code AND u.year = y.year
LEFT JOIN parcel_gov.evaluation h ON h.uscc = p.holder_uscc AND h.year = y.year
LEFT JOIN parcel_gov.evaluation h1 ON h1.uscc = p.holder_uscc AND h1.year = y.year - 1
LEFT JOIN parcel_gov.evaluation h2 ON h2.uscc = p.holder_uscc AND h2.year = y.year - 2
LEFT JOIN parcel_gov.enterprise f ON f.uscc = p.holder_uscc
LEFT JOIN parcel_gov.enterprise_year fy ON fy.uscc = p.holder_uscc AND fy.year = y.year
LEFT JOIN parcel_gov.rule_set rs ON rs.id = coalesce(h.rule_set_id, parcel_gov.rule_set_for(p.region_code, y.year))
LEFT JOIN parcel_gov.rule_pool rp ON rp.rule_set_id = rs.id AND rp.pool = h.pool
LEFT JOIN parcel_gov.region rg ON rg.code = p.region_code
LEFT JOIN parcel_gov.register r ON r.parcel_code = p.code
CROSS JOIN LATERAL (
    SELECT parcel_gov.low_efficiency_kinds(
             u.tax_per_mu, rp.low_tax_per_mu,
             h.area_mu >= rs.persistent_low_min_mu AND h.tax_per_mu < rs.persistent_low_tax_per_mu
               AND h1.tax_per_mu < rs.persistent_low_tax_per_mu AND h2.tax_per_mu < rs.persistent_low_tax_per_mu,
             h.grade, p.land_status, p.supply_date, p.actual_industrial, rs.non_industrial_since,
             fy.prohibited_industry) AS kinds
) AS k;
COMMENT ON VIEW parcel_gov.v_parcel_efficiency IS
  '宗地亩均效益: each parcel in each evaluated year: 亩均税收 and 亩均增加值 of the firms using it (holder and lessees, by area used), the holder''s grade, tax tier, 低效类型 (kinds), 四个一批 (batch), register state, geometry and lon/lat';

-- The register follows the evaluation: parcels newly low-efficiency enter as
-- candidates (never twice while in the register), parcels identified again in
-- a later year re-enter, and every parcel in the register learns its new
-- kinds; those being assessed learn whether they now clear the thresholds.
CREATE FUNCTION parcel_gov.register_sync(year integer, prefix text)
    RETURNS integer
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    y constant integer := register_sync.year;
    entered integer;
    reentered integer;
BEGIN
    CREATE TEMP TABLE register_facts ON COMMIT DROP AS
    SELECT code, kinds, batch, tax_per_mu, grade,
           -- whether the thresholds are cleared is known only where the holder was evaluated
           CASE WHEN holder_evaluated
                THEN NOT (kinds && '{low_per_mu,grade_d}'::parcel_gov.low_efficiency_kind[]) END AS clears
    FROM parcel_gov.v_parcel_efficiency v
    WHERE v.year = y AND starts_with(v.region_code, register_sync.prefix);

    INSERT INTO parcel_gov.register AS r (parcel_code, kinds, batch, evaluated_year, reason, evidence)
    SELECT f.code, f.kinds, f.batch, y, format('evaluate(%s)', y),
           jsonb_build_object('year', y, 'kinds', f.kinds, 'tax_per_mu', f.tax_per_mu, 'grade', f.grade)
    FROM register_facts f WHERE cardinality(f.kinds) > 0
    ON CONFLICT (parcel_code) DO NOTHING;
    GET DIAGNOSTICS entered = ROW_COUNT;

    UPDATE parcel_gov.register r
    SET state = 'candidate', kinds = f.kinds, batch = f.batch, evaluated_year = y,
        reason = format('evaluate(%s): identified again', y),
        evidence = jsonb_build_object('year', y, 'kinds', f.kinds, 'tax_per_mu', f.tax_per_mu, 'grade', f.grade)
    FROM register_facts f
    WHERE r.parcel_code = f.code AND r.state IN ('exited', 'rejected')
      AND cardinality(f.kinds) > 0 AND y > coalesce(r.evaluated_year, 0);
    GET DIAGNOSTICS reentered = ROW_COUNT;

    UPDATE parcel_gov.register r
    SET kinds = f.kinds, evaluated_year = y,
        clears_thresholds = CASE WHEN r.state = 'assessing' THEN f.clears ELSE r.clears_thresholds END,
        reason = format('evaluate(%s)', y)
    FROM register_facts f
    WHERE r.parcel_code = f.code AND r.state NOT IN ('exited', 'rejected')
      AND (r.kinds, r.evaluated_year, r.clears_thresholds) IS DISTINCT FROM
          (f.kinds, y, CASE WHEN r.state = 'assessing' THEN f.clears ELSE r.clears_thresholds END);

    DROP TABLE register_facts;
    IF entered + reentered > 0 THEN
        RAISE NOTICE 'evaluate: % parcel(s) entered the register as candidates', entered + reentered;
    END IF;
    RETURN entered + reentered;
END $$;
COMMENT ON FUNCTION parcel_gov.register_sync(integer, text) IS
  'Called by evaluate(): brings the register in line with a year''s evaluation of a region prefix; returns the parcels that entered';
-- The register for analysts, GIS and BI tools.

CREATE VIEW parcel_gov.v_register WITH (security_invoker = true) AS
SELECT r.fid, r.parcel_code, p.region_code, rg.name AS region_name, p.holder_uscc, f.name AS holder_name,
       r.state, parcel_gov.label(r.state) AS state_label,
       r.kinds, (SELECT array_agg(parcel_gov.label(k) ORDER BY k) FROM unnest(r.kinds) AS k) AS kind_labels,
       r.batch, parcel_gov.label(r.batch) AS batch_label, r.plan, r.deadline,
       r.state_since, current_date - r.state_since::date AS days_in_state,
       r.entered_at, r.exited_at, r.exit_reason, r.clears_thresholds, r.evaluated_year,
       p.area_mu, p.geom,
       ST_X(ST_Transform(ST_PointOnSurface(p.geom), 4326)) AS lon,
       ST_Y(ST_Transform(ST_PointOnSurface(p.geom), 4326)) AS lat
FROM parcel_gov.register r
JOIN parcel_gov.parcel p ON p.code = r.parcel_code
LEFT JOIN parcel_gov.enterprise f ON f.uscc = p.holder_uscc
LEFT JOIN parcel_gov.region rg ON rg.code = p.region_code;
COMMENT ON VIEW parcel_gov.v_register IS
  '低效工业用地数据库: each registered parcel''s state (调查核实 … 出库), kinds (低效类型), batch (四个一批), days in its state, entry (入库) and exit (出库), area and geometry';

-- Low-efficiency parcels still in the register, merged into blocks where they
-- touch or lie within distance_m of each other (连片整治).
CREATE FUNCTION parcel_gov.low_efficiency_clusters(distance_m double precision DEFAULT 50)
    RETURNS TABLE (fid bigint, region_code text, parcels integer, area_mu double precision,
                   parcel_codes text[], geom geometry(MultiPolygon, 4490), lon double precision, lat double precision)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH active AS (
        SELECT p.code, p.region_code, p.area_mu, p.geom,
               -- metres on Web Mercator, scaled by the latitude: close enough to join neighbours
               ST_ClusterDBSCAN(ST_Transform(p.geom, 3857),
                                low_efficiency_clusters.distance_m / cos(radians(ST_Y(ST_Centroid(p.geom)))), 1)
                 OVER (PARTITION BY p.region_code) AS cluster
        FROM parcel_gov.register r JOIN parcel_gov.parcel p ON p.code = r.parcel_code
        WHERE r.state NOT IN ('exited', 'rejected')
    ), blocks AS (
        SELECT a.region_code, a.cluster, count(*)::integer AS parcels, sum(a.area_mu) AS area_mu,
               array_agg(a.code::text ORDER BY a.code) AS parcel_codes,
               ST_Multi(ST_CollectionExtract(ST_Union(a.geom), 3))::geometry(MultiPolygon, 4490) AS geom
        FROM active a GROUP BY a.region_code, a.cluster
    )
    SELECT row_number() OVER (ORDER BY b.region_code, b.parcel_codes[1]), b.region_code, b.parcels, b.area_mu,
           b.parcel_codes, b.geom,
           ST_X(ST_Transform(ST_PointOnSurface(b.geom), 4326)), ST_Y(ST_Transform(ST_PointOnSurface(b.geom), 4326))
    FROM blocks b;
END;
COMMENT ON FUNCTION parcel_gov.low_efficiency_clusters(double precision) IS
  '连片整治: parcels in the register (not exited or rejected) merged into blocks where they lie within distance_m metres of each other, with their total area in mu';

-- (a function's result drops the geometry typmod: cast it back for geometry_columns)
CREATE VIEW parcel_gov.v_low_efficiency_clusters WITH (security_invoker = true) AS
SELECT c.fid, c.region_code, c.parcels, c.area_mu, c.parcel_codes,
       c.geom::geometry(MultiPolygon, 4490) AS geom, c.lon, c.lat
FROM parcel_gov.low_efficiency_clusters(
    coalesce(nullif(pg_catalog.current_setting('parcel_gov.cluster_distance_m', true), '')::double precision, 50)) AS c;
COMMENT ON VIEW parcel_gov.v_low_efficiency_clusters IS
  '连片整治 blocks of low-efficiency parcels in the register; parcels within parcel_gov.cluster_distance_m metres (default 50) join one block';
