-- parcel_gov 1.6.0 → 1.7.0: onboarding (a county's own data in one
-- afternoon).  A delta written by hand.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.7.0'" to load this file. \quit
