# parcel_gov — PGXS build.
#   make && make install && make installcheck   against the server pg_config names
#   make test    fresh Debian machine: install deps, build, throwaway cluster, all tests
#   make demo    the same set-up, then the sample county's report

EXTENSION  = parcel_gov
EXTVERSION = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)
PGFILEDESC = "parcel_gov - industrial-land per-mu efficiency governance"

MODULE_big = $(EXTENSION)
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c src/core/*.c)))

# One source of truth: the current version's script is built from install/*.sql,
# and the update into it from its head in updates/, the install/ files this
# version added or changed (the head drops what a changed file creates again)
# and a tail for data the new objects need.  `make release` freezes both in
# releases/, where the scripts of every released version stay unchanged (and
# are installed).
INSTALL_SOURCES = $(sort $(wildcard install/*.sql))
UPDATE_FROM = 1.2.0
UPDATE_SOURCES = updates/$(UPDATE_FROM)--$(EXTVERSION).sql install/99_contracts.sql install/99_decision_support.sql install/99_simulate.sql
UPDATE_SCRIPT = $(EXTENSION)--$(UPDATE_FROM)--$(EXTVERSION).sql
DATA_built = $(EXTENSION)--$(EXTVERSION).sql $(UPDATE_SCRIPT)
DATA = $(filter-out $(addprefix releases/,$(DATA_built)),$(wildcard releases/$(EXTENSION)--*.sql))

# Register rows are never deleted, so the tests that write them run last.
REGISTER_TESTS = register register_flow engine import maps decision_support
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

$(UPDATE_SCRIPT): $(UPDATE_SOURCES)
	cat $^ > $@

# A released version's scripts never change: each built copy must equal its frozen one.
check-frozen: $(DATA_built)
	@for f in $^; do \
	  if [ -f releases/$$f ] && ! cmp -s $$f releases/$$f; then \
	    echo "$$f differs from releases/$$f: $(EXTVERSION) is released; bump default_version" >&2; exit 1; \
	  fi; \
	done

release: $(DATA_built)
	cp $^ releases/

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

bench:
	@bash bench/run.sh

.PHONY: test demo bench check-frozen release fuzz
