
-- Summaries of the results evaluated before 1.0.0, so v_region_summary shows
-- them at once.  Their sums are plain float sums and their digest empty: the
-- next evaluate() of a year compares its rows and writes exact summaries.
ALTER TABLE parcel_gov.evaluation_summary DISABLE TRIGGER evaluation_summary_written_by_evaluate;
INSERT INTO parcel_gov.evaluation_summary SELECT * FROM parcel_gov.summaries_of_rows(NULL, NULL);
ALTER TABLE parcel_gov.evaluation_summary ENABLE TRIGGER evaluation_summary_written_by_evaluate;
