# parcel_gov — PGXS build.
#   make && make install && make installcheck   against the server pg_config names
#   make test    fresh Debian machine: install deps, build, throwaway cluster, all tests
#   make demo    the same set-up, then the sample county's report

EXTENSION  = parcel_gov
EXTVERSION = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)
PGFILEDESC = "parcel_gov - industrial-land per-mu efficiency governance"

MODULE_big = $(EXTENSION)
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))

# One source of truth: the current version's script is built from install/*.sql.
# Released versions are frozen in releases/ (install them and the update scripts).
INSTALL_SOURCES = $(sort $(wildcard install/*.sql))
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
DATA = $(filter-out releases/$(EXTENSION)--$(EXTVERSION).sql,$(wildcard releases/$(EXTENSION)--*.sql))

REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --load-extension=postgis --load-extension=$(EXTENSION)

# Warnings always; make test adds WERROR=-Werror.  The server headers are
# read as system headers so -Wextra judges our code, not theirs.
WERROR ?=
PG_CFLAGS += -Wall -Wextra -Wno-unused-parameter $(WERROR)

EXTRA_CLEAN = results regression.diffs regression.out

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

# A released version's script must never change: the built copy must equal the frozen one.
check-frozen: $(EXTENSION)--$(EXTVERSION).sql
	@if [ -f releases/$(EXTENSION)--$(EXTVERSION).sql ]; then \
	  cmp -s $< releases/$(EXTENSION)--$(EXTVERSION).sql \
	    || { echo "install/ changed after $(EXTVERSION) was released: bump default_version and add an update script" >&2; exit 1; }; \
	fi

test:
	@bash tools/test.sh

demo:
	@bash tools/demo.sh

.PHONY: test demo check-frozen
