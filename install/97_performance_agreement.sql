-- 履约监管协议 (桐庐): a firm that promises to improve itself signs an
-- agreement with the county: what it promises, when it signed, the deadline,
-- and the result the county records (open until then; kept or broken).
-- v_performance_agreement shows each agreement and whether it is overdue:
-- still open after its deadline.
CREATE TABLE parcel_gov.performance_agreement (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uscc      parcel_gov.uscc NOT NULL REFERENCES parcel_gov.enterprise ON UPDATE CASCADE,
    promise   text NOT NULL CONSTRAINT performance_agreement_promise_given CHECK (btrim(promise) <> ''),
    signed_on date NOT NULL,
    deadline  date NOT NULL,
    result    text NOT NULL DEFAULT 'open'
              CONSTRAINT performance_agreement_result_known CHECK (result IN ('open', 'kept', 'broken')),
    result_on date,
    CONSTRAINT performance_agreement_deadline_after_signing CHECK (deadline >= signed_on),
    CONSTRAINT performance_agreement_result_dated CHECK ((result = 'open') = (result_on IS NULL)),
    CONSTRAINT performance_agreement_result_after_signing CHECK (result_on >= signed_on)
);
COMMENT ON TABLE parcel_gov.performance_agreement IS
  '履约监管协议 (桐庐) a firm''s signed promise to improve itself: the promise, signed_on, deadline, result open/kept/broken with the date it was established (result_on)';
COMMENT ON COLUMN parcel_gov.performance_agreement.promise IS '承诺内容: what the firm promises, e.g. 2025 年亩均税收达到 10 万元';
COMMENT ON COLUMN parcel_gov.performance_agreement.signed_on IS '签订日期: when the agreement was signed';
COMMENT ON COLUMN parcel_gov.performance_agreement.deadline IS '履约期限: the date by which the promise is to be kept';
COMMENT ON COLUMN parcel_gov.performance_agreement.result IS
  '履约结果: open (未到期或未核查), kept (已履约) or broken (未履约)';
COMMENT ON COLUMN parcel_gov.performance_agreement.result_on IS '核查日期: when the result was established; empty while open';
CREATE INDEX performance_agreement_uscc ON parcel_gov.performance_agreement (uscc);
SELECT pg_catalog.pg_extension_config_dump('parcel_gov.performance_agreement', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('parcel_gov.performance_agreement', 'id'), '');
-- An agreement follows its firm: visible and writable when the firm is.
ALTER TABLE parcel_gov.performance_agreement ENABLE ROW LEVEL SECURITY;
CREATE POLICY region_rows ON parcel_gov.performance_agreement
    USING (EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc OPERATOR(pg_catalog.=) performance_agreement.uscc))
    WITH CHECK (EXISTS (SELECT FROM parcel_gov.enterprise e WHERE e.uscc OPERATOR(pg_catalog.=) performance_agreement.uscc));
GRANT SELECT ON parcel_gov.performance_agreement TO parcel_gov_reader;
GRANT INSERT, UPDATE, DELETE ON parcel_gov.performance_agreement TO parcel_gov_operator;

-- Each agreement with its firm and whether it is overdue today: open after
-- its deadline.
CREATE VIEW parcel_gov.v_performance_agreement WITH (security_invoker = true) AS
SELECT a.id, a.uscc::text AS uscc, f.name, f.region_code, a.promise, a.signed_on, a.deadline,
       a.result, CASE a.result WHEN 'open' THEN '未到期或未核查' WHEN 'kept' THEN '已履约' WHEN 'broken' THEN '未履约' END
                 AS result_label,
       a.result_on,
       a.result = 'open' AND a.deadline < CURRENT_DATE AS overdue,
       CASE WHEN a.result = 'open' AND a.deadline < CURRENT_DATE THEN CURRENT_DATE - a.deadline END AS days_overdue
FROM parcel_gov.performance_agreement a
JOIN parcel_gov.enterprise f ON f.uscc = a.uscc;
GRANT SELECT ON parcel_gov.v_performance_agreement TO parcel_gov_reader;
COMMENT ON VIEW parcel_gov.v_performance_agreement IS
  '履约监管协议 firms'' agreements to improve themselves (桐庐): the promise, signing date, deadline, result, and whether it is overdue (still open after the deadline) and by how many days';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.id IS '协议编号: the agreement''s key';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.uscc IS '统一社会信用代码: unified social credit code of the firm';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.name IS '名称: name';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.region_code IS '行政区划代码: region code (GB/T 2260)';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.promise IS '承诺内容: what the firm promises';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.signed_on IS '签订日期: when the agreement was signed';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.deadline IS '履约期限: the date by which the promise is to be kept';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.result IS '履约结果: open, kept or broken';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.result_label IS '履约结果 (中文): 未到期或未核查, 已履约 or 未履约';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.result_on IS '核查日期: when the result was established';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.overdue IS '逾期: still open after its deadline (today)';
COMMENT ON COLUMN parcel_gov.v_performance_agreement.days_overdue IS '逾期天数: days since the deadline of an overdue agreement';
