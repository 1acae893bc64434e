# SPDX-License-Identifier: GPL-2.0-only
# Thin shim for recipes written for upstream Jailhouse's make:
#   make [VAR=value ...] [target ...]  ==  scons [VAR=value ...] [target ...]
# Command-line variables (KDIR, ARCH, CROSS_COMPILE, DESTDIR, prefix, V, ...)
# and -j are passed on unchanged; `make clean` is `scons -c`.

SCONS ?= $(or $(wildcard $(CURDIR)/.venv/bin/scons),scons)
JOBS := $(patsubst -j%,%,$(filter -j%,$(MAKEFLAGS)))
SCONS_CMD = $(SCONS) -Q -C $(CURDIR) $(if $(JOBS),-j$(JOBS)) \
	$(-*-command-variables-*-)

.NOTPARALLEL:
.PHONY: all modules clean FORCE

all modules:
	+@$(SCONS_CMD)

clean:
	+@$(SCONS_CMD) -c

Makefile: ;

%: FORCE
	+@$(SCONS_CMD) $@
