-- The bureaus' spreadsheets as they come (import_enterprise_years reads them
-- through these): headers with units in half- or full-width brackets, and
-- cells with separators, full-width digits and "none" marks.
SET search_path = parcel_gov, public;

-- Each header: the column, the unit read and the factor into the stored unit
-- (万元, kWh, tce, t); a figure with no unit or an unknown one is a problem.
SELECT h AS header, b.target, b.unit, b.factor, b.problem
FROM unnest(ARRAY['统一社会信用代码', '企业名称', '行业代码', '规模', '税收(元)', '税收（万元）', '税收[千元]',
                  '工业增加值【亿元】', '营业收入 (万元)', '研发经费(万元)', '从业人员', '从业人员(人)',
                  '综合能耗(吨标煤)', '综合能耗(万吨标煤)', '排放量(千克)', '用电量(千瓦时)', '用电量（万千瓦时）',
                  '用电量(度)', '加分', '减分(分)', '不参评原因', '否决原因', '年度',
                  '税收', '用电量', '用电量(兆瓦时)', '企业名称(全称)', '序号', '备注']) WITH ORDINALITY AS x(h, n)
CROSS JOIN LATERAL bureau_header(h) AS b
ORDER BY n;

-- Cells: 1,234.5; full-width 123.5 and -5; none marks and blanks are NULL;
-- text is NaN (the import reports it); exponents of 3 digits are no number;
-- separators only between groups of three digits (12,5 and 1.234,56 are no
-- numbers, not 125 and 1.23456); -0 is 0.
SELECT x AS cell, bureau_number(x) AS number
FROM unnest(ARRAY['1,234.5', '１２３．５', '－5', '—', '-', '/', '  ', '12万', '1e400', '1e5', '.5', '5.',
                  'abc', '１，０００', '3　000', '+.e5', '.', '0', '——', '--', '12,5', '1,2,3', '5 5',
                  '1 234,56', '1.234,56', '- 5', '-0', '1,234,567.89', ' 42 ', '1234,567', '(100)']) WITH ORDINALITY AS c(x, n)
ORDER BY n;
