/*
 * restore_mode.h — a superuser's restore passes the guards.
 */
#ifndef PARCEL_GOV_RESTORE_MODE_H
#define PARCEL_GOV_RESTORE_MODE_H

extern bool restoring(void);

#endif
