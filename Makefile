# booking: PostgreSQL extension (PGXS). `make && make install`, then, as a
# user that may run initdb (not root):
#
#   make installcheck                     the regress and isolation suites
#   make installcheck REGRESS=10_tenancy ISOLATION=     one regress test
#   make installcheck REGRESS= ISOLATION=rival_commit   one isolation spec
#   make installcheck-worker              the expiry worker's suites
#   make installcheck-upgrade             the previous release updated, then the
#                                         regress suite on it
#
# each against a temporary instance of its own. Every suite keeps its tests
# and expectations under test/<suite>/ (sql/ or specs/, and expected/); the
# runners read dated copies of them (output_<suite>/input, below). The full
# run, and one suite or one test of it, is dev/test (see the README).

EXTENSION = booking
MODULE_big = booking
EXTVERSION = $(shell grep default_version $(EXTENSION).control | sed -e "s/default_version[[:space:]]*=[[:space:]]*'\([^']*\)'/\1/")

# extension/core: the pure C++ core; extension/pg: the PostgreSQL layer, one
# directory ("room") per step a call takes (see the README's Development map).
CORE_SRCS = $(sort $(shell find extension/core -name '*.cpp'))
PG_SRCS = $(sort $(shell find extension/pg -name '*.cpp'))
OBJS = $(CORE_SRCS:.cpp=.o) $(PG_SRCS:.cpp=.o)
BOOKING_HEADERS = $(shell find extension/core extension/pg -name '*.hpp')

# The current release's install script is assembled from ordered parts
# (extension/sql/NN_*.sql), one per area, so each area's objects are found in
# one place. Where a part says @BLOCKING_STATUSES@ or @CALLER_HOLD@, the
# assembly writes the core's one text of that rule (BOOKING_*_SQL in
# core/reservation_state.hpp and core/caller_hold.hpp), which the C++
# statements use too; @EXTVERSION@ is the release.
#
# Releases: every schema change ships as an upgrade script
# extension/sql/booking--A--B.sql, installed with every earlier release's own
# install script, kept frozen (extension/sql/booking--0.1.sql to
# booking--0.5.sql, the releases before this one). `make installcheck-upgrade`
# installs the first release, fills it, updates it through every upgrade
# script, and runs the regress suite on it.
SQL_PARTS = $(sort $(wildcard extension/sql/[0-9][0-9]_*.sql))
DATA_built = extension/$(EXTENSION)--$(EXTVERSION).sql
DATA = $(sort $(wildcard extension/sql/$(EXTENSION)--*.sql))
sql_rule = $(shell sed -n 's/^\#define $(1) "\(.*\)"$$/\1/p' $(2))
BLOCKING_STATUSES_SQL := $(call sql_rule,BOOKING_BLOCKING_STATUSES_SQL,extension/core/reservation_state.hpp)
CALLER_HOLD_SQL := $(call sql_rule,BOOKING_CALLER_HOLD_SQL,extension/core/caller_hold.hpp)

# The suites' dates: tests book into the years 2030 to 2039, written as plain
# dates, and the runners read copies in which test/shift-dates has moved those
# years 28*k years ahead when the clock comes near them (k = 0 until 2028),
# the same weekdays and daylight-saving dates, so expected outputs differ only
# in the years: dated_input SUITE-DIRS COPY. (A file a test reads with \i is
# read from the copy.) In a tree whose dates dev/test has moved already
# (test/dates-moved), the copy stays as it is.
dated_input = rm -rf $(2) && mkdir -p $(2) && for d in $(1); do cp -R $$d/. $(2)/; done && \
	if [ ! -f test/dates-moved ]; then test/shift-dates $(2); fi

# pg_regress: every test/regress/sql/*.sql, against a throwaway instance with
# the library preloaded. Its worker idles: booking.database (test/temp.conf)
# names a database without the extension, so lapsed holds stay as the tests
# left them.
REGRESS = $(patsubst test/regress/sql/%.sql,%,$(sort $(wildcard test/regress/sql/*.sql)))
REGRESS_OPTS = --inputdir=output_regress/input --outputdir=output_regress \
	--temp-instance=./tmp_check --temp-config=test/temp.conf --load-extension=booking
ISOLATION = $(patsubst test/isolation/specs/%.spec,%,$(sort $(wildcard test/isolation/specs/*.spec)))
ISOLATION_OPTS = --inputdir=output_iso/input --temp-instance=./tmp_check_iso \
	--temp-config=test/temp.conf --load-extension=booking
# make installcheck's first step (PGXS runs REGRESS_PREP before either suite).
REGRESS_PREP = dated-inputs
# PGXS's first rule is "all", but this file's recipes come first: without
# this, a plain `make` (dev/lib.sh's `make WERROR=1`) made only
# dated-inputs, and the library was first compiled by `make install`, with
# no -Werror.
.DEFAULT_GOAL := all
dated-inputs:
	$(call dated_input,test/regress,output_regress/input)
	$(call dated_input,test/isolation,output_iso/input)

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
# The release the library serves (store/schema.hpp): booking.control's.
PG_CPPFLAGS = -I$(CURDIR)/extension -isystem $(PG_INCLUDE_SERVER) \
	-DBOOKING_EXTVERSION='"$(EXTVERSION)"'
PG_CXXFLAGS = -std=c++17 -Wall -Wextra -Wno-register -Werror=return-type -fno-omit-frame-pointer
ifdef WERROR
PG_CXXFLAGS += -Werror
endif
# PGXS sets CXXFLAGS itself, which would drop a packager's C++ flags given in
# the environment (Debian's dpkg-buildflags, exported by debian/rules): they
# are appended to ours instead.
ifeq ($(origin CXXFLAGS),environment)
ENV_CXXFLAGS := $(CXXFLAGS)
PG_CXXFLAGS += $(ENV_CXXFLAGS)
endif
SHLIB_LINK += -lstdc++

PGXS := $(shell $(PG_CONFIG) --pgxs)
# JIT inlining of this library's bitcode buys nothing, and PGXS would compile
# it with clang, which does not see PG_CXXFLAGS.
override with_llvm = no
include $(PGXS)

$(OBJS): $(BOOKING_HEADERS)

extension/$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS) extension/core/reservation_state.hpp \
		extension/core/caller_hold.hpp
	@test -n "$(BLOCKING_STATUSES_SQL)" && test -n "$(CALLER_HOLD_SQL)" || \
		{ echo "the core's SQL rules (BOOKING_*_SQL) were not found"; exit 1; }
	for part in $(SQL_PARTS); do \
		sed -e "s|@BLOCKING_STATUSES@|$(BLOCKING_STATUSES_SQL)|g" \
		    -e "s|@CALLER_HOLD@|$(CALLER_HOLD_SQL)|g" \
		    -e "s|@EXTVERSION@|$(EXTVERSION)|g" $$part; echo; \
	done > $@.tmp
	@if grep -n '@[A-Z_]*@' $@.tmp; then echo "an unknown @NAME@ in extension/sql"; exit 1; fi
	mv $@.tmp $@

# WORKER_REGRESS= or UNPRELOADED_REGRESS= (empty) skips that half.
installcheck-worker:
	$(call dated_input,test/worker,output_worker/input)
	$(call dated_input,test/unpreloaded,output_unpreloaded/input)
	status=0; \
	if [ -n "$(strip $(WORKER_REGRESS))" ]; then \
	$(pg_regress_installcheck) --inputdir=output_worker/input --outputdir=output_worker \
		--temp-instance=./tmp_check_worker --temp-config=test/worker/temp.conf \
		--dbname=worker_regression $(WORKER_REGRESS) || status=1; \
	fi; \
	if [ -n "$(strip $(UNPRELOADED_REGRESS))" ]; then \
	$(pg_regress_installcheck) --inputdir=output_unpreloaded/input --outputdir=output_unpreloaded \
		--temp-instance=./tmp_check_unpreloaded --temp-config=test/unpreloaded/temp.conf \
		--dbname=unpreloaded_regression --load-extension=booking \
		$(UNPRELOADED_REGRESS) || status=1; \
	fi; \
	exit $$status

# The upgrade suite: the previous release installed from its frozen script
# and filled (test/upgrade), updated, compared with a fresh install, and then
# the whole regress suite run on that database, in one temporary instance.
# pg_regress reads one input directory, so the two suites' files are put
# together (and dated) in output_upgrade/input; REGRESS= chooses the regress
# tests.
UPGRADE_REGRESS = $(patsubst test/upgrade/sql/%.sql,%,$(sort $(wildcard test/upgrade/sql/*.sql)))
installcheck-upgrade:
	rm -rf output_upgrade
	$(call dated_input,test/regress test/upgrade,output_upgrade/input)
	$(pg_regress_installcheck) --inputdir=output_upgrade/input --outputdir=output_upgrade \
		--temp-instance=./tmp_check_upgrade --temp-config=test/temp.conf \
		--dbname=upgrade_regression $(UPGRADE_REGRESS) $(REGRESS)

.PHONY: dated-inputs installcheck-worker installcheck-upgrade

EXTRA_CLEAN = tmp_check output_regress tmp_check_iso output_iso build \
	tmp_check_worker output_worker tmp_check_unpreloaded output_unpreloaded \
	tmp_check_upgrade output_upgrade
