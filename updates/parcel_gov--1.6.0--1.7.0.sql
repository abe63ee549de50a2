-- parcel_gov 1.6.0 → 1.7.0: onboarding (a county's own data in one
-- afternoon).  A delta written by hand.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.7.0'" to load this file. \quit

-- Zhejiang's divisions: the province, its cities and counties ship as rows
-- of region (shipped, read-only, not dumped); counties add their townships
-- (9-digit codes, level township); firms and parcels stay under 6-digit codes.
ALTER TABLE parcel_gov.region ADD COLUMN shipped boolean NOT NULL DEFAULT false;
-- level becomes a plain column set by a trigger (a generated column's
-- expression cannot change in PostgreSQL 15); its place and grants stay
ALTER TABLE parcel_gov.region ALTER COLUMN level DROP EXPRESSION;
ALTER TABLE parcel_gov.region
    DROP CONSTRAINT region_code_6_digits,
    ADD CONSTRAINT region_code_6_or_9_digits CHECK (code ~ '^[0-9]{6}([0-9]{3})?$'),
    ADD CONSTRAINT region_level_of_code CHECK (level = CASE WHEN length(code) = 9 THEN 'township'
                                                            WHEN code LIKE '%0000' THEN 'province'
                                                            WHEN code LIKE '%00' THEN 'city' ELSE 'county' END),
    ADD CONSTRAINT region_township_in_its_county
        CHECK (length(code) = 6 OR (parent_code = left(code, 6) AND parent_code !~ '00$'));
COMMENT ON TABLE parcel_gov.region IS
  '行政区划 (administrative divisions): GB/T 2260 codes, 330000 province, 330600 city, 330604 county, and 乡镇街道 townships by the statistics bureau''s 9-digit codes (330604100); Zhejiang''s province, cities and counties ship with parcel_gov (shipped, read-only), superseded codes with their validity to the month (上虞市 330682 → 上虞区 330604 from 2013-10-01); counties add their townships';
COMMENT ON COLUMN parcel_gov.region.level IS
  '层级: province, city, county or township, from the code (set by the trigger region_level)';
COMMENT ON COLUMN parcel_gov.region.valid_to IS
  '停用日期: the first day of the month the code was superseded (validity is known to the month); NULL while in use';
COMMENT ON COLUMN parcel_gov.region.superseded_by IS
  '继承代码: the code that took over most of a superseded one';
COMMENT ON COLUMN parcel_gov.region.shipped IS
  '内置区划: a row parcel_gov ships (the national list, read-only, not dumped: CREATE EXTENSION brings it back); false for the rows a county adds (乡镇街道 townships, a new code)';
-- A region's level follows its code: whatever a writer gives is replaced.
CREATE FUNCTION parcel_gov.region_level() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- as the check region_level_of_code has it
    NEW.level := CASE WHEN length(NEW.code) = 9 THEN 'township'
                      WHEN NEW.code LIKE '%0000' THEN 'province'
                      WHEN NEW.code LIKE '%00' THEN 'city' ELSE 'county' END;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION parcel_gov.region_level() IS
  'Trigger: sets a region''s level from its code (9 digits township, xx0000 province, xxxx00 city, else county)';
CREATE TRIGGER region_level BEFORE INSERT OR UPDATE ON parcel_gov.region
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.region_level();

-- The shipped regions are the national list: pg_dump leaves them out and
-- CREATE EXTENSION brings them back, so a county's change to them would be
-- lost, and a county's own row marked shipped would vanish from its dumps.
-- The extension's scripts and a restore run as a superuser, who passes.
-- A dump taken before 1.7.0 holds the regions the county entered itself:
-- restored by a superuser (row_security off, as pg_restore and pg_dump's
-- scripts set it, src/restore_mode.c), a row of a shipped code gives way
-- to the shipped row, as the update to 1.7.0 makes it.
CREATE FUNCTION parcel_gov.region_shipped_read_only() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- the calling role, as in every guard of the extension
    IF (SELECT r.rolsuper FROM pg_roles r WHERE r.oid = parcel_gov.invoker()) THEN
        IF TG_OP = 'INSERT' AND NOT NEW.shipped AND NOT current_setting('row_security')::boolean
           AND EXISTS (SELECT FROM parcel_gov.region r WHERE r.code = NEW.code AND r.shipped) THEN
            RETURN NULL;
        END IF;
        RETURN coalesce(NEW, OLD);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped THEN
        RAISE EXCEPTION 'region % % ships with parcel_gov and is read-only', OLD.code, OLD.name
            USING ERRCODE = '42501',
                  HINT = 'The shipped regions are the national list (GB/T 2260). Add your townships (9-digit codes under your county) or a new code as rows of your own.';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.shipped THEN
        RAISE EXCEPTION 'region % cannot be marked shipped', NEW.code
            USING ERRCODE = '42501',
                  HINT = 'Only the regions parcel_gov ships have shipped = true; add yours with shipped = false (the default).';
    END IF;
    RETURN coalesce(NEW, OLD);
END $$;
COMMENT ON FUNCTION parcel_gov.region_shipped_read_only() IS
  'Trigger: the shipped regions cannot be changed or deleted, nor a row marked shipped (42501), but by a superuser (the extension''s scripts, a restore); a superuser''s restore of a region of a shipped code (a dump taken before 1.7.0) keeps the shipped row';
CREATE TRIGGER region_shipped_read_only BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.region
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.region_shipped_read_only();
-- The shipped rows are left out of logical replication by a row filter on
-- shipped (README: backups); a filter on a column outside the key needs
-- the whole row as the replica identity for updates and deletes.
ALTER TABLE parcel_gov.region REPLICA IDENTITY FULL;

REVOKE EXECUTE ON FUNCTION parcel_gov.region_level(), parcel_gov.region_shipped_read_only() FROM PUBLIC;

-- The shipped rows.  A county's own row of a shipped code becomes the
-- shipped row (official name, parent, validity), or its next dump would
-- collide on restore with the row CREATE EXTENSION brings.  Parents and
-- the codes superseded rows point at come first.
-- the province and its 11 cities
INSERT INTO parcel_gov.region (code, name, parent_code, shipped) VALUES
  ('330000', '浙江省', NULL, true),
  ('330100', '杭州市', '330000', true),
  ('330200', '宁波市', '330000', true),
  ('330300', '温州市', '330000', true),
  ('330400', '嘉兴市', '330000', true),
  ('330500', '湖州市', '330000', true),
  ('330600', '绍兴市', '330000', true),
  ('330700', '金华市', '330000', true),
  ('330800', '衢州市', '330000', true),
  ('330900', '舟山市', '330000', true),
  ('331000', '台州市', '330000', true),
  ('331100', '丽水市', '330000', true)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, parent_code = EXCLUDED.parent_code,
    valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to, superseded_by = EXCLUDED.superseded_by,
    shipped = true;

-- the 90 county-level divisions (县级), under their city
INSERT INTO parcel_gov.region (code, name, parent_code, shipped) VALUES
  ('330102', '上城区', '330100', true),
  ('330105', '拱墅区', '330100', true),
  ('330106', '西湖区', '330100', true),
  ('330108', '滨江区', '330100', true),
  ('330109', '萧山区', '330100', true),
  ('330110', '余杭区', '330100', true),
  ('330111', '富阳区', '330100', true),
  ('330112', '临安区', '330100', true),
  ('330113', '临平区', '330100', true),
  ('330114', '钱塘区', '330100', true),
  ('330122', '桐庐县', '330100', true),
  ('330127', '淳安县', '330100', true),
  ('330182', '建德市', '330100', true),
  ('330203', '海曙区', '330200', true),
  ('330205', '江北区', '330200', true),
  ('330206', '北仑区', '330200', true),
  ('330211', '镇海区', '330200', true),
  ('330212', '鄞州区', '330200', true),
  ('330213', '奉化区', '330200', true),
  ('330225', '象山县', '330200', true),
  ('330226', '宁海县', '330200', true),
  ('330281', '余姚市', '330200', true),
  ('330282', '慈溪市', '330200', true),
  ('330302', '鹿城区', '330300', true),
  ('330303', '龙湾区', '330300', true),
  ('330304', '瓯海区', '330300', true),
  ('330305', '洞头区', '330300', true),
  ('330324', '永嘉县', '330300', true),
  ('330326', '平阳县', '330300', true),
  ('330327', '苍南县', '330300', true),
  ('330328', '文成县', '330300', true),
  ('330329', '泰顺县', '330300', true),
  ('330381', '瑞安市', '330300', true),
  ('330382', '乐清市', '330300', true),
  ('330383', '龙港市', '330300', true),
  ('330402', '南湖区', '330400', true),
  ('330411', '秀洲区', '330400', true),
  ('330421', '嘉善县', '330400', true),
  ('330424', '海盐县', '330400', true),
  ('330481', '海宁市', '330400', true),
  ('330482', '平湖市', '330400', true),
  ('330483', '桐乡市', '330400', true),
  ('330502', '吴兴区', '330500', true),
  ('330503', '南浔区', '330500', true),
  ('330521', '德清县', '330500', true),
  ('330522', '长兴县', '330500', true),
  ('330523', '安吉县', '330500', true),
  ('330602', '越城区', '330600', true),
  ('330603', '柯桥区', '330600', true),
  ('330604', '上虞区', '330600', true),
  ('330624', '新昌县', '330600', true),
  ('330681', '诸暨市', '330600', true),
  ('330683', '嵊州市', '330600', true),
  ('330702', '婺城区', '330700', true),
  ('330703', '金东区', '330700', true),
  ('330723', '武义县', '330700', true),
  ('330726', '浦江县', '330700', true),
  ('330727', '磐安县', '330700', true),
  ('330781', '兰溪市', '330700', true),
  ('330782', '义乌市', '330700', true),
  ('330783', '东阳市', '330700', true),
  ('330784', '永康市', '330700', true),
  ('330802', '柯城区', '330800', true),
  ('330803', '衢江区', '330800', true),
  ('330822', '常山县', '330800', true),
  ('330824', '开化县', '330800', true),
  ('330825', '龙游县', '330800', true),
  ('330881', '江山市', '330800', true),
  ('330902', '定海区', '330900', true),
  ('330903', '普陀区', '330900', true),
  ('330921', '岱山县', '330900', true),
  ('330922', '嵊泗县', '330900', true),
  ('331002', '椒江区', '331000', true),
  ('331003', '黄岩区', '331000', true),
  ('331004', '路桥区', '331000', true),
  ('331022', '三门县', '331000', true),
  ('331023', '天台县', '331000', true),
  ('331024', '仙居县', '331000', true),
  ('331081', '温岭市', '331000', true),
  ('331082', '临海市', '331000', true),
  ('331083', '玉环市', '331000', true),
  ('331102', '莲都区', '331100', true),
  ('331121', '青田县', '331100', true),
  ('331122', '缙云县', '331100', true),
  ('331123', '遂昌县', '331100', true),
  ('331124', '松阳县', '331100', true),
  ('331125', '云和县', '331100', true),
  ('331126', '庆元县', '331100', true),
  ('331127', '景宁畲族自治县', '331100', true),
  ('331181', '龙泉市', '331100', true)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, parent_code = EXCLUDED.parent_code,
    valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to, superseded_by = EXCLUDED.superseded_by,
    shipped = true;

-- 丽水地区 and its counties until it became the city 丽水市 (2000-05)
INSERT INTO parcel_gov.region (code, name, parent_code, valid_to, superseded_by, shipped) VALUES
  ('332500', '丽水地区', '330000', '2000-05-01', '331100', true),
  ('332501', '丽水市', '332500', '2000-05-01', '331102', true),
  ('332502', '龙泉市', '332500', '2000-05-01', '331181', true),
  ('332522', '青田县', '332500', '2000-05-01', '331121', true),
  ('332523', '云和县', '332500', '2000-05-01', '331125', true),
  ('332525', '庆元县', '332500', '2000-05-01', '331126', true),
  ('332526', '缙云县', '332500', '2000-05-01', '331122', true),
  ('332527', '遂昌县', '332500', '2000-05-01', '331123', true),
  ('332528', '松阳县', '332500', '2000-05-01', '331124', true),
  ('332529', '景宁畲族自治县', '332500', '2000-05-01', '331127', true)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, parent_code = EXCLUDED.parent_code,
    valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to, superseded_by = EXCLUDED.superseded_by,
    shipped = true;

-- county-level codes superseded since 2000 (撤县设区, 撤市设区, mergers)
INSERT INTO parcel_gov.region (code, name, parent_code, valid_to, superseded_by, shipped) VALUES
  ('330721', '金华县', '330700', '2000-12-01', '330703', true),
  ('330181', '萧山市', '330100', '2001-02-01', '330109', true),
  ('330184', '余杭市', '330100', '2001-02-01', '330110', true),
  ('330821', '衢县', '330800', '2001-09-01', '330803', true),
  ('330227', '鄞县', '330200', '2002-02-01', '330212', true),
  ('330621', '绍兴县', '330600', '2013-10-01', '330603', true),
  ('330682', '上虞市', '330600', '2013-10-01', '330604', true),
  ('330183', '富阳市', '330100', '2014-12-01', '330111', true),
  ('330322', '洞头县', '330300', '2015-07-01', '330305', true),
  ('330204', '江东区', '330200', '2016-09-01', '330212', true),
  ('330283', '奉化市', '330200', '2016-09-01', '330213', true),
  ('331021', '玉环县', '331000', '2017-04-01', '331083', true),
  ('330185', '临安市', '330100', '2017-08-01', '330112', true),
  ('330103', '下城区', '330100', '2021-03-01', '330105', true),
  ('330104', '江干区', '330100', '2021-03-01', '330102', true)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, parent_code = EXCLUDED.parent_code,
    valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to, superseded_by = EXCLUDED.superseded_by,
    shipped = true;
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.region', 'WHERE NOT shipped');

-- Firms and parcels stay filed under counties (6-digit codes), not townships.
ALTER TABLE parcel_gov.enterprise
    ADD CONSTRAINT enterprise_region_6_digits CHECK (region_code ~ '^[0-9]{6}$');
ALTER TABLE parcel_gov.parcel
    ADD CONSTRAINT parcel_region_6_digits CHECK (region_code ~ '^[0-9]{6}$');
-- Targets too: v_target_progress reads a county, a city or the province.
ALTER TABLE parcel_gov.region_target
    ADD CONSTRAINT region_target_region_6_digits CHECK (region_code ~ '^[0-9]{6}$');

-- simulate() copies the proposal for the counties with firms only, not for
-- every shipped county of the region.
CREATE OR REPLACE FUNCTION parcel_gov.simulate(year integer, rule_set text, region text DEFAULT NULL)
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
-- (end of Zhejiang's divisions)
