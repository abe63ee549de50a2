/*
 * eval_figures.h — what a run reads of its firms' figures (enterprise_year
 * of the year, or enterprise_period to a quarter's month): by a query, or
 * by a scan of the table where the run reads the whole province.
 *
 * Each row lands on its firm's FirmFigures through the firms' map (a row
 * of a firm the run did not read is passed over), in the order read.
 */
#ifndef PARCEL_GOV_EVAL_FIGURES_H
#define PARCEL_GOV_EVAL_FIGURES_H

#include "postgres.h"

#include "eval_engine.h"

typedef struct Figures Figures;

/* the run's reader (its firms read first), with the columns the schema has */
extern Figures *eval_figures(EvalRun *run);

/* a quarter's run: enterprise_period through run->month */
extern void eval_figures_of_period(Figures *f);

/* the firms of the prefix: by a scan of the whole table (the whole
 * province, no policy on the table), else by a query */
extern void eval_figures_of_prefix(Figures *f, Datum prefix);

/* a county's run: the firms named (text[] of USCCs) */
extern void eval_figures_of_firms(Figures *f, Datum usccs);

#endif
