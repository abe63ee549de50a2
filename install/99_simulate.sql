-- Rule what-if (规则模拟): evaluate a year under a proposed rule set without
-- touching the evaluation or the register.  simulate() runs the real engine
-- inside a subtransaction that it then rolls back, after reading what the
-- run would have written: the same arithmetic as evaluate(), and nothing of
-- it stays but the comparison, kept in simulation and simulation_firm.

CREATE TABLE parcel_gov.simulation (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year           integer NOT NULL,
    rule_set_id    text NOT NULL,
    region_prefix  text NOT NULL,
    run_by         name NOT NULL DEFAULT pg_catalog.pg_get_userbyid(parcel_gov.invoker()),
    run_at         timestamptz NOT NULL DEFAULT pg_catalog.now(),
    firms          integer NOT NULL,
    parcels_entering integer NOT NULL,
    parcels_clearing integer NOT NULL
);
COMMENT ON TABLE parcel_gov.simulation IS
  '规则模拟 rule what-ifs: a year evaluated under a proposed rule set for a region, with how many parcels would enter the register (进入低效库) and how many assessed parcels would clear its thresholds (可出库)';
CREATE TABLE parcel_gov.simulation_firm (
    simulation_id   bigint NOT NULL REFERENCES parcel_gov.simulation ON DELETE CASCADE,
    uscc            text NOT NULL,
    region_code     text NOT NULL,
    current_score   double precision,
    current_grade   parcel_gov.grade,
    simulated_score double precision,
    simulated_grade parcel_gov.grade,
    PRIMARY KEY (simulation_id, uscc)
);
COMMENT ON TABLE parcel_gov.simulation_firm IS
  '规则模拟结果: per firm, the score and grade of the stored evaluation and under the proposed rule set';
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.simulation', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.simulation', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.simulation_firm', '');
ALTER TABLE parcel_gov.simulation ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.simulation
    USING (region_prefix OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))
    WITH CHECK (region_prefix OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));
ALTER TABLE parcel_gov.simulation_firm ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.simulation_firm
    USING (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))))
    WITH CHECK (region_code OPERATOR(pg_catalog.^@) ANY (ARRAY(SELECT pg_catalog.unnest(parcel_gov.visible_prefixes()))));
GRANT SELECT ON parcel_gov.simulation, parcel_gov.simulation_firm TO parcel_gov_reader;

CREATE FUNCTION parcel_gov.simulate(year integer, rule_set text, region text DEFAULT NULL)
    RETURNS TABLE (simulation_id bigint, uscc text, name text, current_score double precision,
                   current_grade parcel_gov.grade, simulated_score double precision, simulated_grade parcel_gov.grade)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    y constant integer := simulate.year;
    prefix constant text := parcel_gov.region_prefix(simulate.region);
    proposal constant text := simulate.rule_set;
    simulated jsonb;
    entering integer;
    clearing integer;
    sim_id bigint;
BEGIN
    PERFORM parcel_gov.require_caller('simulate', 'parcel_gov_analyst', prefix);
    IF y IS NULL OR proposal IS NULL THEN
        RAISE EXCEPTION 'simulate needs a year and a rule set' USING ERRCODE = '22004',
            HINT = 'e.g. simulate(2024, ''wenling'', ''330604'').';
    END IF;
    IF NOT EXISTS (SELECT FROM parcel_gov.rule_set r WHERE r.id = proposal) THEN
        RAISE EXCEPTION 'no rule set %', proposal USING ERRCODE = '22023',
            HINT = 'SELECT id, name FROM parcel_gov.rule_set lists them.';
    END IF;
    IF NOT EXISTS (SELECT FROM parcel_gov.rule_pool p WHERE p.rule_set_id = proposal) THEN
        RAISE EXCEPTION 'rule set % has no pools', proposal USING ERRCODE = '22023',
            HINT = 'A rule set needs its pools and indicators (rule_pool, rule_indicator) to grade.';
    END IF;
    BEGIN
        -- the proposal applies to every county of the region this year: a
        -- county-level copy starting this year is the most specific rule
        -- (for the counties with firms: most shipped ones have none here)
        DELETE FROM parcel_gov.rule_set r
        WHERE length(r.region_prefix) = 6 AND starts_with(r.region_prefix, prefix) AND r.year_from = y;
        PERFORM parcel_gov.rule_set_adopt(proposal, 'simulation_' || g.code, g.code, y, y)
        FROM parcel_gov.region g
        WHERE g.level = 'county' AND starts_with(g.code, prefix)
          AND EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.region_code = g.code);
        PERFORM parcel_gov.evaluate(y, simulate.region);
        SELECT coalesce(jsonb_agg(jsonb_build_object('uscc', e.uscc, 'region', e.region_code,
                                                     'score', e.score, 'grade', e.grade)), '[]')
        INTO simulated FROM parcel_gov.evaluation e WHERE e.year = y AND starts_with(e.region_code, prefix);
        SELECT count(*) FILTER (WHERE r.entered_at IS NULL AND r.state = 'candidate'
                                  AND r.state_since >= pg_catalog.now()),
               count(*) FILTER (WHERE r.state = 'assessing' AND r.clears_thresholds)
        INTO entering, clearing
        FROM parcel_gov.register r WHERE starts_with(r.parcel_code, prefix);
        RAISE EXCEPTION 'simulation rolled back' USING ERRCODE = 'PGSIM';
    EXCEPTION WHEN SQLSTATE 'PGSIM' THEN
        NULL;   -- the evaluation, the register and the rules are as they were
    END;
    INSERT INTO parcel_gov.simulation (year, rule_set_id, region_prefix, firms, parcels_entering, parcels_clearing)
    VALUES (y, proposal, prefix, jsonb_array_length(simulated), entering, clearing)
    RETURNING id INTO sim_id;
    INSERT INTO parcel_gov.simulation_firm
    SELECT sim_id, coalesce(s.uscc, e.uscc), coalesce(s.region, e.region_code), e.score, e.grade, s.score, s.grade
    FROM (SELECT * FROM parcel_gov.evaluation e WHERE e.year = y AND starts_with(e.region_code, prefix)) AS e
    FULL JOIN jsonb_to_recordset(simulated) AS s(uscc text, region text, score double precision, grade parcel_gov.grade)
      ON s.uscc = e.uscc;
    RETURN QUERY
    SELECT f.simulation_id, f.uscc, n.name, f.current_score, f.current_grade, f.simulated_score, f.simulated_grade
    FROM parcel_gov.simulation_firm f LEFT JOIN parcel_gov.enterprise n ON n.uscc = f.uscc
    WHERE f.simulation_id = sim_id ORDER BY f.uscc;
END $$;
COMMENT ON FUNCTION parcel_gov.simulate(integer, text, text) IS
  '规则模拟 what-if: evaluates a year for a region under a proposed rule set without changing the evaluation, the register or the rules; returns each firm''s current and simulated score and grade, and keeps them in simulation_firm';
REVOKE EXECUTE ON FUNCTION parcel_gov.simulate(integer, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parcel_gov.simulate(integer, text, text) TO parcel_gov_analyst;

-- Grade moves of each simulation (A→B, C→D, …) and its register effects.
CREATE VIEW parcel_gov.v_simulation_moves WITH (security_invoker = true) AS
SELECT s.id AS simulation_id, s.year, s.rule_set_id, s.region_prefix,
       coalesce(f.current_grade::text, '—') || '→' || coalesce(f.simulated_grade::text, '—') AS move,
       f.current_grade::text AS current_grade, parcel_gov.label(f.current_grade) AS current_grade_label,
       f.simulated_grade::text AS simulated_grade, parcel_gov.label(f.simulated_grade) AS simulated_grade_label,
       count(*) AS firms, s.parcels_entering, s.parcels_clearing
FROM parcel_gov.simulation s JOIN parcel_gov.simulation_firm f ON f.simulation_id = s.id
GROUP BY s.id, f.current_grade, f.simulated_grade;
GRANT SELECT ON parcel_gov.v_simulation_moves TO parcel_gov_reader;
COMMENT ON VIEW parcel_gov.v_simulation_moves IS
  '规则模拟汇总: per simulation, how many firms move from each grade to each other (A→B, C→D, …), and how many parcels would enter the register or clear its thresholds';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.simulation_id IS '模拟编号: simulation id';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.move IS '等级变化: current → simulated grade (— none)';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.current_grade IS '现行等级: grade in the stored evaluation';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.simulated_grade IS '模拟等级: grade under the proposed rules';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.current_grade_label IS '现行等级名称: the stored grade in Chinese';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.simulated_grade_label IS '模拟等级名称: the simulated grade in Chinese';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.parcels_entering IS '新进低效库宗数: parcels the run would enter in the register';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.parcels_clearing IS '可出库宗数: assessed parcels that would clear the thresholds';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.region_prefix IS '区域: region code prefix simulated';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.rule_set_id IS '模拟规则: the proposed rule set';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.year IS '评价年度: evaluation year';
COMMENT ON COLUMN parcel_gov.v_simulation_moves.firms IS '企业数: firms making the move';
