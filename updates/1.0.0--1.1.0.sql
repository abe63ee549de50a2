-- parcel_gov 1.0.0 → 1.1.0: maps (vector tiles, GeoJSON, SVG), GIS import.
-- Built by the Makefile: this head, then the install/ files that 1.1.0 added
-- or changed.

\echo Use "ALTER EXTENSION parcel_gov UPDATE TO '1.1.0'" to load this file. \quit
