# parcel_gov — PGXS build.
#   make && make install && make installcheck   against the server pg_config names
#   make test    fresh Debian machine: install deps, build, throwaway cluster, all tests
#   make demo    the same set-up, then the sample county's report
#   make check-clients  the same set-up plus GIS and BI clients (JDBC, QGIS, MapServer, GDAL) reading the views
#   make check-province  three county servers and a provincial one on logical replication and postgres_fdw

EXTENSION  = parcel_gov
EXTVERSION = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)
PGFILEDESC = "parcel_gov - industrial-land per-mu efficiency governance"

MODULE_big = $(EXTENSION)
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c src/core/*.c)))

# One source of truth for the current version: its install script is built
# from install/*.sql.  Older versions are reached as contrib's extensions
# reach them: updates/ holds the base script of the oldest version
# (0.1.0), every update script as shipped, from which PostgreSQL installs
# or updates to any version, and the full scripts of 1.11.0 and 1.12.0 as
# released (the chain from 0.1.0 cannot run in one transaction: 1.11.0 uses
# enum values 1.10.0 adds, so CREATE EXTENSION … VERSION '1.11.0' or later
# needs a full script of its own).  From 1.4.0 on an update script is a delta
# written by hand (CREATE OR REPLACE, ALTER; a DROP only where nothing else
# works, with the object's grants and comments put back).  updates/released.sha256
# freezes what was released: `make check-frozen` fails when a released script
# (or the current version's built script, once released) would change, and
# `make release` adds the current version to it.
INSTALL_SOURCES = $(sort $(wildcard install/*.sql))
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
DATA = $(sort $(wildcard updates/$(EXTENSION)--*.sql))
RELEASED = updates/released.sha256

# Register rows are never deleted, so the tests that write them run last.
REGISTER_TESTS = register register_flow engine import maps decision_support firm_plan land_objects routes issues differential_measures targets township_progress big_arrays
REGRESS = $(filter-out $(REGISTER_TESTS),$(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))) $(REGISTER_TESTS)
REGRESS_OPTS = --load-extension=postgis --load-extension=$(EXTENSION)
ISOLATION = $(patsubst specs/%.spec,%,$(sort $(wildcard specs/*.spec)))
ISOLATION_OPTS = --load-extension=postgis --load-extension=$(EXTENSION)

# Warnings always; make test adds WERROR=-Werror.  The server headers are
# read as system headers so -Wextra judges our code, not theirs.
WERROR ?=
PG_CFLAGS += -Wall -Wextra -Wno-unused-parameter $(WERROR)

EXTRA_CLEAN = results regression.diffs regression.out output_iso .deps fuzz/build

# Rebuild what includes a changed header (PGXS tracks .c files only by default).
override autodepend = yes

# Prefer PostgreSQL 15's pg_config on Debian, where several majors may coexist.
PG_CONFIG ?= $(firstword $(wildcard /usr/lib/postgresql/15/bin/pg_config) pg_config)
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

ifneq ($(wildcard $(PGXS)),)
PG_CPPFLAGS += -isystem $(shell $(PG_CONFIG) --includedir-server)
include $(PGXS)
else
all install installcheck:
	@echo "PGXS not found ($(PG_CONFIG)): install postgresql-server-dev-15, or run 'make test' / 'make demo', which install it." >&2
	@exit 1
endif

$(EXTENSION)--$(EXTVERSION).sql: $(INSTALL_SOURCES)
	cat $^ > $@

# Released scripts never change (a full script of an older version is no
# longer built, so its line is skipped).
check-frozen: $(DATA_built)
	@sha256sum --check --quiet --ignore-missing $(RELEASED) || \
	  { echo "a released script changed: $(EXTVERSION) is released? bump default_version and write the update by hand" >&2; exit 1; }
	@test -f updates/$(EXTENSION)--*--$(EXTVERSION).sql || \
	  { echo "no update script into $(EXTVERSION) in updates/" >&2; exit 1; }

release: $(DATA_built)
	sha256sum $(DATA_built) updates/$(EXTENSION)--*--$(EXTVERSION).sql >> $(RELEASED)

# libFuzzer harnesses over the pure C cores (src/core): make fuzz FUZZ_SECONDS=60
FUZZ_SECONDS ?= 3
FUZZERS = $(patsubst fuzz/%.c,fuzz/build/%,$(sort $(wildcard fuzz/fuzz_*.c)))
fuzz/build/%: fuzz/%.c $(wildcard src/core/*.c src/core/*.h)
	@mkdir -p fuzz/build
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Isrc/core $< $(wildcard src/core/*.c) -lm -o $@
fuzz: $(FUZZERS)
	@bash tools/fuzz.sh $(FUZZ_SECONDS) $(FUZZERS)

test:
	@bash tools/test.sh

demo:
	@bash tools/demo.sh

check-clients:
	@bash clients/run.sh

check-province:
	@bash tools/check-province.sh

bench:
	@bash bench/run.sh

.PHONY: test check-clients check-province demo bench check-frozen release fuzz
