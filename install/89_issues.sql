-- 问题清单 (绍兴 2021: 清单化管理、销号式整改、项目化验收): the environment,
-- safety, fire and illegal-building departments' problems found on a parcel,
-- each with its deadline, struck off (销号: closed, with its evidence) one by
-- one.  The rule set names the departments whose open issues keep a parcel
-- from leaving the register as accepted (项目化验收): the register's trigger
-- (src/register_trigger.c) asks blocking_issues().

CREATE TABLE parcel_gov.issue (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parcel_code parcel_gov.parcel_code NOT NULL REFERENCES parcel_gov.parcel ON UPDATE CASCADE,
    department  parcel_gov.issue_department NOT NULL,
    description text NOT NULL,
    found       date NOT NULL,
    deadline    date CONSTRAINT issue_deadline_after_found CHECK (deadline >= found),
    closed      date CONSTRAINT issue_closed_after_found CHECK (closed >= found),
    evidence    jsonb CONSTRAINT issue_evidence_is_object CHECK (evidence IS NULL OR jsonb_typeof(evidence) = 'object'),
    CONSTRAINT issue_closed_with_evidence CHECK (closed IS NULL OR evidence IS NOT NULL)
);
COMMENT ON TABLE parcel_gov.issue IS
  '问题清单 (issue list, 绍兴 2021 清单化管理、销号式整改): a department''s problem found on a parcel (环保, 安全, 消防, 违建), its deadline, and when it was struck off (销号: closed, with evidence); open while closed is NULL';
COMMENT ON COLUMN parcel_gov.issue.department IS '部门: environment 环保, safety 安全, fire 消防, illegal_building 违建';
COMMENT ON COLUMN parcel_gov.issue.found IS '发现日期: when the department found the problem';
COMMENT ON COLUMN parcel_gov.issue.deadline IS '整改期限: the date the problem is to be rectified by';
COMMENT ON COLUMN parcel_gov.issue.closed IS '销号日期: the date the problem was struck off; NULL while open';
COMMENT ON COLUMN parcel_gov.issue.evidence IS '销号依据: the evidence for closing it (a JSON object: the acceptance document, the inspector …); required once closed';
CREATE INDEX issue_open_idx ON parcel_gov.issue (parcel_code) WHERE closed IS NULL;
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.issue', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.issue', 'id'), '');
-- (row-level security by the parcel's county and the grants: install/96_roles.sql)

-- Which departments' open issues block an exit as accepted, per rule set.
CREATE TABLE parcel_gov.rule_issue (
    rule_set_id text NOT NULL REFERENCES parcel_gov.rule_set ON UPDATE CASCADE ON DELETE CASCADE,
    department  parcel_gov.issue_department NOT NULL,
    blocks_exit boolean NOT NULL DEFAULT true,
    shutdown_when_overdue boolean NOT NULL DEFAULT false,
    source      text,
    PRIMARY KEY (rule_set_id, department)
);
COMMENT ON TABLE parcel_gov.rule_issue IS
  '问题清单规则: per rule set and department, whether its open issues keep a parcel from leaving the register as accepted (项目化验收), and whether one past its deadline sends the parcel to 关停退出; a department without a row does neither';
COMMENT ON COLUMN parcel_gov.rule_issue.blocks_exit IS
  '未销号不得出库: an open issue of this department blocks exit_reason accepted (55000)';
COMMENT ON COLUMN parcel_gov.rule_issue.shutdown_when_overdue IS
  '逾期未整改即关停退出: an open issue of this department past its deadline (when evaluate() runs) sends the parcel to 关停退出, as parcel.fails_acceptance does';
INSERT INTO parcel_gov.rule_issue (rule_set_id, department, blocks_exit, source)
SELECT r.id, d, true, '绍兴 2021 开发区(园区)工业全域治理: 清单化管理、销号式整改、项目化验收 (环保、安全、消防 acceptance; 违建)'
FROM parcel_gov.rule_set r CROSS JOIN unnest(enum_range(NULL::parcel_gov.issue_department)) AS d
WHERE r.builtin;
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.rule_issue',
  'WHERE rule_set_id NOT IN (SELECT id FROM parcel_gov.rule_set WHERE builtin)');
-- A built-in rule set's issue rules are shipped data, read-only as its
-- other rule tables are (pg_dump leaves them out: a change would be lost).
CREATE TRIGGER rule_issue_builtin_read_only BEFORE INSERT OR UPDATE OR DELETE ON parcel_gov.rule_issue
    FOR EACH ROW EXECUTE FUNCTION parcel_gov.rule_builtin_read_only();

-- The open issues that block a parcel's exit as accepted under its rule set
-- (that of its region for the register's evaluated year, else this year),
-- named one by one; NULL when none.  The caller sees its own regions' issues.
CREATE FUNCTION parcel_gov.blocking_issues(parcel_code text)
    RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT pg_catalog.string_agg(pg_catalog.format('#%s %s: %s (found %s%s)', i.id, parcel_gov.label(i.department),
                                                   i.description, i.found,
                                                   ', due ' || i.deadline), '; ' ORDER BY i.id)
    FROM parcel_gov.issue i
    JOIN parcel_gov.parcel p ON p.code OPERATOR(pg_catalog.=) i.parcel_code
    JOIN parcel_gov.rule_issue ri
      ON ri.rule_set_id OPERATOR(pg_catalog.=) parcel_gov.rule_set_for(p.region_code,
           coalesce((SELECT r.evaluated_year FROM parcel_gov.register r WHERE r.parcel_code OPERATOR(pg_catalog.=) p.code),
                    pg_catalog.date_part('year', CURRENT_DATE)::integer))
     AND ri.department OPERATOR(pg_catalog.=) i.department AND ri.blocks_exit
    WHERE i.parcel_code OPERATOR(pg_catalog.=) blocking_issues.parcel_code AND i.closed IS NULL;
END;
COMMENT ON FUNCTION parcel_gov.blocking_issues(text) IS
  '未销号问题: the open issues (问题清单) of a parcel whose departments its rule set says block an exit as accepted, one by one; NULL when none';

-- Open issues per county and department, for the dashboards.
CREATE VIEW parcel_gov.v_open_issues WITH (security_invoker = true) AS
SELECT p.region_code, rg.name AS region_name, i.department::text AS department,
       parcel_gov.label(i.department) AS department_label, count(*) AS open_issues,
       count(DISTINCT i.parcel_code) AS parcels, count(*) FILTER (WHERE i.deadline < current_date) AS overdue,
       min(i.found) AS oldest_found
FROM parcel_gov.issue i
JOIN parcel_gov.parcel p ON p.code = i.parcel_code
LEFT JOIN parcel_gov.region rg ON rg.code = p.region_code
WHERE i.closed IS NULL
GROUP BY p.region_code, rg.name, i.department;
COMMENT ON VIEW parcel_gov.v_open_issues IS
  '未销号问题汇总: open issues (问题清单) per county and department: how many, on how many parcels, how many past their deadline, the oldest';
