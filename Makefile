# booking: PostgreSQL extension (PGXS). `make && make install`, then, as a
# user that may run initdb (not root):
#
#   make installcheck                     the regress and isolation suites
#   make installcheck REGRESS=10_tenancy ISOLATION=     one regress test
#   make installcheck REGRESS= ISOLATION=rival_commit   one isolation spec
#   make installcheck-worker              the expiry worker's suites
#
# each against a temporary instance of its own. Every suite keeps its tests
# and expectations under test/<suite>/ (sql/ or specs/, and expected/). The
# full run, and one suite or one test of it, is dev/test (see the README).

EXTENSION = booking
MODULE_big = booking
EXTVERSION = $(shell grep default_version $(EXTENSION).control | sed -e "s/default_version[[:space:]]*=[[:space:]]*'\([^']*\)'/\1/")

# extension/core: the pure C++ core; extension/pg: the PostgreSQL layer, one
# directory ("room") per step a call takes (see the README's Development map).
CORE_SRCS = $(sort $(shell find extension/core -name '*.cpp'))
PG_SRCS = $(sort $(shell find extension/pg -name '*.cpp'))
OBJS = $(CORE_SRCS:.cpp=.o) $(PG_SRCS:.cpp=.o)
BOOKING_HEADERS = $(shell find extension/core extension/pg -name '*.hpp')

# The install script is assembled from ordered parts (extension/sql/NN_*.sql),
# one per area, so each area's objects are found in one place.
SQL_PARTS = $(sort $(wildcard extension/sql/[0-9][0-9]_*.sql))
DATA_built = extension/$(EXTENSION)--$(EXTVERSION).sql

# pg_regress: every test/regress/sql/*.sql, against a throwaway instance with
# the library preloaded. Its worker idles: booking.database (test/temp.conf)
# names a database without the extension, so lapsed holds stay as the tests
# left them.
REGRESS = $(patsubst test/regress/sql/%.sql,%,$(sort $(wildcard test/regress/sql/*.sql)))
REGRESS_OPTS = --inputdir=test/regress --outputdir=output_regress \
	--temp-instance=./tmp_check --temp-config=test/temp.conf --load-extension=booking
ISOLATION = $(patsubst test/isolation/specs/%.spec,%,$(sort $(wildcard test/isolation/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test/isolation --temp-instance=./tmp_check_iso \
	--temp-config=test/temp.conf --load-extension=booking

# The expiry worker's suites, each against an instance of its own: test/worker
# with the library preloaded and booking.database naming the test database
# (created without the extension: the first test checks the worker waits for
# it), and test/unpreloaded without preloading.
WORKER_REGRESS = $(patsubst test/worker/sql/%.sql,%,$(sort $(wildcard test/worker/sql/*.sql)))
UNPRELOADED_REGRESS = $(patsubst test/unpreloaded/sql/%.sql,%,$(sort $(wildcard test/unpreloaded/sql/*.sql)))

PG_CONFIG ?= pg_config
PG_INCLUDE_SERVER := $(shell $(PG_CONFIG) --includedir-server)

# C++17 with warnings on. PostgreSQL's headers are included as system headers
# so -Wextra speaks about our code only.
PG_CPPFLAGS = -I$(CURDIR)/extension -isystem $(PG_INCLUDE_SERVER)
PG_CXXFLAGS = -std=c++17 -Wall -Wextra -Wno-register -Werror=return-type -fno-omit-frame-pointer
ifdef WERROR
PG_CXXFLAGS += -Werror
endif
SHLIB_LINK += -lstdc++

PGXS := $(shell $(PG_CONFIG) --pgxs)
# JIT inlining of this library's bitcode buys nothing, and PGXS would compile
# it with clang, which does not see PG_CXXFLAGS.
override with_llvm = no
include $(PGXS)

$(OBJS): $(BOOKING_HEADERS)

extension/$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS)
	for part in $(SQL_PARTS); do cat $$part; echo; done > $@

# WORKER_REGRESS= or UNPRELOADED_REGRESS= (empty) skips that half.
installcheck-worker:
	status=0; \
	if [ -n "$(strip $(WORKER_REGRESS))" ]; then \
	$(pg_regress_installcheck) --inputdir=test/worker --outputdir=output_worker \
		--temp-instance=./tmp_check_worker --temp-config=test/worker/temp.conf \
		--dbname=worker_regression $(WORKER_REGRESS) || status=1; \
	fi; \
	if [ -n "$(strip $(UNPRELOADED_REGRESS))" ]; then \
	$(pg_regress_installcheck) --inputdir=test/unpreloaded --outputdir=output_unpreloaded \
		--temp-instance=./tmp_check_unpreloaded --temp-config=test/unpreloaded/temp.conf \
		--dbname=unpreloaded_regression --load-extension=booking \
		$(UNPRELOADED_REGRESS) || status=1; \
	fi; \
	exit $$status

.PHONY: installcheck-worker

EXTRA_CLEAN = tmp_check output_regress tmp_check_iso output_iso build \
	tmp_check_worker output_worker tmp_check_unpreloaded output_unpreloaded
