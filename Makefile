# SPDX-License-Identifier: GPL-2.0-only
# Make front door for distribution recipes written for upstream Jailhouse:
#   make [VAR=value ...] [target ...]  runs  scons [VAR=value ...] [target ...]
#
# It behaves like make where recipes rely on it:
# - `make -n` / `-q` print the scons command and run nothing;
# - -jN (from the command line or a parent make's MAKEFLAGS) becomes scons -jN,
#   -k and -s are passed on;
# - command-line variables are passed on unchanged (scons checks them);
# - `make` (all) also copies the results to upstream's in-tree paths
#   (configs/<arch>/*.cell, inmates/demos/<arch>/*.bin, hypervisor/*.bin,
#   driver/jailhouse.ko), where recipes pick them up; `make clean` removes
#   them again, `make distclean` also removes the build directories;
# - there is no `test` or `check` target, so debhelper skips them (the tests
#   need the development tools: run ./quickstart test).

SCONS ?= $(or $(wildcard $(CURDIR)/.venv/bin/scons),scons)

# Single-letter options are the first word of MAKEFLAGS.  Expanded when a
# recipe runs: only then does MAKEFLAGS hold -j.
MAKE_LETTERS = $(firstword -$(MAKEFLAGS))

JOBS_FLAG = $(lastword $(filter -j%,$(MAKEFLAGS)))
JOBS = $(if $(JOBS_FLAG),$(or $(patsubst -j%,%,$(JOBS_FLAG)),$(shell nproc 2>/dev/null || echo 1)))
SCONS_FLAGS = -Q $(if $(JOBS),-j$(JOBS)) \
	$(if $(findstring k,$(MAKE_LETTERS)),-k) \
	$(if $(findstring s,$(MAKE_LETTERS)),-s)
SCONS_CMD = $(SCONS) $(SCONS_FLAGS) -C $(CURDIR) $(-*-command-variables-*-)

# Build targets; all (the default) also refreshes the in-tree copies.
BUILD_GOALS := all modules hypervisor inmates configs driver tools docs

.NOTPARALLEL:
.PHONY: $(BUILD_GOALS) clean distclean FORCE

# No `+` prefix: under -n make prints these lines instead of running them.
all modules:
	@$(SCONS_CMD) all intree

hypervisor inmates configs driver tools docs:
	@$(SCONS_CMD) $@

clean:
	@$(SCONS_CMD) -c all testprogs intree

distclean:
	@$(SCONS_CMD) distclean

# Everything else (install targets, testprogs, config targets, file paths)
# goes to scons as it is; scons names the known targets if it is not one.
# `test` and `check` have no rule at all, so `make -n test` prints nothing.
OTHER_GOALS := $(filter-out test check $(BUILD_GOALS) clean distclean Makefile,\
	$(MAKECMDGOALS))

$(OTHER_GOALS): FORCE
	@$(SCONS_CMD) $@

Makefile: ;
FORCE:
