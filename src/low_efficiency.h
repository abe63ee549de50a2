/*
 * low_efficiency.h — why a parcel is low-efficiency land and which of the four
 * batches (四个一批) it goes to, as plain C so that the SQL functions and the
 * evaluation engine's register sync decide alike.
 */
#ifndef PARCEL_GOV_LOW_EFFICIENCY_H
#define PARCEL_GOV_LOW_EFFICIENCY_H

#include "postgres.h"

#include "utils/array.h"
#include "utils/date.h"

/* The labels of low_efficiency_kind, in enum order; a parcel's kinds are a bit mask. */
typedef enum LowEfficiencyKind
{
	LOW_PER_MU, GRADE_D, APPROVED_UNSUPPLIED, SUPPLIED_UNUSED, UNDERUSED, BUILT_NOT_OPERATING,
	BELOW_TARGET, IDLE, NON_INDUSTRIAL, PROHIBITED_INDUSTRY, SCATTERED_POLLUTING, COLLECTIVE_INDUSTRIAL,
	N_KINDS
}			LowEfficiencyKind;

extern const char *const low_efficiency_kind_labels[N_KINDS];

/* The labels of batch, in enum order. */
typedef enum Batch
{
	DEMOLISH_REBUILD, RECTIFY_UPGRADE, FUNCTION_TRANSFORM, SHUTDOWN_EXIT, N_BATCHES
}			Batch;

extern const char *const batch_labels[N_BATCHES];

/* What the kinds depend on; a "has_" flag false stands for NULL. */
typedef struct KindFacts
{
	bool		has_tax_per_mu;
	float8		tax_per_mu;
	bool		has_low_tax_per_mu;
	float8		low_tax_per_mu;
	bool		persistent_low;		/* 桐庐: under the line three years running */
	bool		grade_d;
	int			land_status;		/* a kind (APPROVED_UNSUPPLIED … IDLE), or -1 for normal */
	bool		has_supply_date;
	DateADT		supply_date;
	bool		has_actual_industrial;
	bool		actual_industrial;
	bool		has_non_industrial_since;
	DateADT		non_industrial_since;
	bool		prohibited_industry;
	bool		scattered_polluting;	/* 低散乱污: listed by the environment/safety departments */
	bool		collective_unlicensed;	/* 集体工业用地: ownership J, legal procedures known missing */
}			KindFacts;

/* What the batch depends on besides the kinds; NULL plan facts count as conforming. */
typedef struct BatchFacts
{
	bool		backward_capacity;
	bool		fails_acceptance;
	bool		plan_conforming;
	bool		planned_industrial;
	bool		buildings_poor;		/* building_condition poor or dilapidated */
	int			scattered_polluting_batch;	/* the rule's batch for 低散乱污 land, -1 none */
	int			collective_industrial_batch;	/* the rule's batch for 集体工业用地, -1 none */
}			BatchFacts;

/* The land status's kind, -1 for 'normal'; 22023 for an unknown status. */
extern int	land_status_kind(const text *status);

/* The kinds (bit 1 << kind each); 22023 for a non-finite per-mu tax. */
extern uint32 low_efficiency_kind_mask(const KindFacts *facts);

/* The batch, first match wins; a kind the rule gives a batch goes at least
 * that far up the order (关停退出, 功能转型, 拆除重建, 整治提升); -1 when the
 * parcel has no kind. */
extern int	four_batch_of(uint32 kinds, const BatchFacts *facts);

/* The kinds as a low_efficiency_kind[] (kind_oids: the labels' OIDs), and back. */
extern ArrayType *kind_array(uint32 kinds, const Oid *kind_oids, Oid kind_type);
extern uint32 kind_mask_of_array(ArrayType *kinds);

/* Whether a 宗地代码 (GB/T 37346: character 13 the ownership) names collective land (J 集体). */
extern bool parcel_code_collective(const text *code);

/* Whether a building condition sends a parcel to 拆除重建. */
extern bool building_condition_poor(const text *condition);

#endif
