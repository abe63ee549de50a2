
-- Summaries of the results evaluated before 0.5.0, so v_region_summary shows
-- them at once.  Their sums are plain float sums and their digest empty: the
-- next evaluate() of a year compares its rows and writes exact summaries.
ALTER TABLE parcel_gov.evaluation_summary DISABLE TRIGGER evaluation_summary_written_by_evaluate;
INSERT INTO parcel_gov.evaluation_summary
SELECT e.year, e.region_code, count(*), count(e.grade),
       count(*) FILTER (WHERE e.grade = 'A'), count(*) FILTER (WHERE e.grade = 'B'),
       count(*) FILTER (WHERE e.grade = 'C'), count(*) FILTER (WHERE e.grade = 'D'),
       count(*) FILTER (WHERE parcel_gov.tax_tier(e.tax_per_mu) = 1),
       count(*) FILTER (WHERE parcel_gov.tax_tier(e.tax_per_mu) = 2),
       count(*) FILTER (WHERE parcel_gov.tax_tier(e.tax_per_mu) = 3),
       count(*) FILTER (WHERE parcel_gov.tax_tier(e.tax_per_mu) = 0),
       ARRAY[coalesce(sum(e.area_mu) FILTER (WHERE e.grade IS NOT NULL), 0), 0],
       ARRAY[coalesce(sum(e.tax) FILTER (WHERE e.grade IS NOT NULL AND e.area_mu <> 0), 0), 0,
             coalesce(sum(e.area_mu) FILTER (WHERE e.grade IS NOT NULL AND e.tax IS NOT NULL AND e.area_mu <> 0), 0), 0],
       ARRAY[coalesce(sum(e.value_added) FILTER (WHERE e.grade IS NOT NULL AND e.area_mu <> 0), 0), 0,
             coalesce(sum(e.area_mu) FILTER (WHERE e.grade IS NOT NULL AND e.value_added IS NOT NULL AND e.area_mu <> 0), 0), 0],
       '\x'::bytea, max(e.evaluated_at)
FROM parcel_gov.evaluation e
GROUP BY e.year, e.region_code;
ALTER TABLE parcel_gov.evaluation_summary ENABLE TRIGGER evaluation_summary_written_by_evaluate;
