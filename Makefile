# bindep-sbom: a plain Makefile. `make help` lists the targets.
#
# Variables you may set: CC, CFLAGS, LDFLAGS, CPPFLAGS, PREFIX, DESTDIR,
# BINDIR, MANDIR, DATADIR, BASHCOMPDIR, ZSHCOMPDIR, PKG_CONFIG, PYTHON,
# DEVELOPER=1 (adds -Werror),
# SANITIZE=address,undefined (a sanitized build, objects in build/san).

PROGRAM := bindep-sbom
VERSION := 0.1.0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/$(PROGRAM)
# Where bash-completion and zsh look: bash-completion searches
# $XDG_DATA_DIRS (/usr/local/share:/usr/share); Debian's zsh has
# /usr/share/zsh/vendor-completions and /usr/local/share/zsh/site-functions
# in its fpath, not /usr/local/share/zsh/vendor-completions.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/$(if $(filter /usr,$(PREFIX)),vendor-completions,site-functions)
DESTDIR ?=
INSTALL ?= install
PKG_CONFIG ?= pkg-config
# Debian's interpreter: python3-jsonschema is installed for it.
PYTHON ?= /usr/bin/python3
CLANG ?= clang

CFLAGS ?= -O2 -g

ifneq ($(SANITIZE),)
O ?= build/san
else
O ?= build
endif
BIN ?= $(PROGRAM)

PKGS := libelf libcjson libcyaml libcurl libcrypto sqlite3 libarchive
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CUNIT_LIBS := $(shell $(PKG_CONFIG) --libs cunit 2>/dev/null)

WARNINGS := -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes \
	-Wshadow -Wformat=2 -Wundef -Wpointer-arith -Wvla -Wwrite-strings
BD_CPPFLAGS := -Iinclude -D_GNU_SOURCE -DBD_VERSION='"$(VERSION)"' \
	-DBD_DATADIR='"$(DATADIR)"' \
	$(PKG_CFLAGS) $(CPPFLAGS)
BD_CFLAGS := -std=c11 -pthread $(WARNINGS) -MMD -MP $(CFLAGS)
BD_LDFLAGS := -Wl,--as-needed $(LDFLAGS)
ifeq ($(DEVELOPER),1)
BD_CFLAGS += -Werror
endif
ifneq ($(SANITIZE),)
BD_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
BD_LDFLAGS += -fsanitize=$(SANITIZE)
endif

LIB_SRCS := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJS := $(LIB_SRCS:src/%.c=$(O)/%.o)
LIB := $(O)/libbindep.a
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_BIN := $(O)/tests/unit-tests
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
REPLAY_BINS := $(FUZZ_NAMES:%=$(O)/tests/replay-%)
# The bash and zsh completions, written at build time from the option
# table that drives --help (contrib/completion/mkcompletion.c): made, not
# committed, so that they always match the program built beside them.
COMPLETIONS := $(O)/completion/$(PROGRAM).bash $(O)/completion/_$(PROGRAM)
# The shipped registry compiled in: each mappings/*.yml's bytes and the
# entries the loader gives for them, written at build time by
# contrib/registry/mkregistry.c (which fails on a file that warns) and
# linked into the program, which then parses only the files that differ.
MAPPINGS := $(sort $(wildcard mappings/*.yml))
REGISTRY_OBJ := $(O)/registry_data.o

# The child that removes an artifact run's private directory
# (src/input.c) only waits and removes: it is not reported on.
# memcheck finds the same errors without --track-origins, which only says
# where an uninitialised value was made, and took the unit tests from 95 s
# to 165 s: make check runs without it, check-full with it, and
# `make check-valgrind VALGRIND_ORIGINS=yes` says where, for an error found.
VALGRIND_ORIGINS ?= no
VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect \
	--track-origins=$(VALGRIND_ORIGINS) --child-silent-after-fork=yes

.SECONDARY:

.PHONY: all check check-full check-plain check-sanitize check-valgrind \
	check-valgrind-full check-bins check-bins-san test-bins unit replay e2e \
	unit-valgrind replay-valgrind e2e-valgrind lanes lane-e2e-plain \
	lane-e2e-san lane-e2e-valgrind lane-unit-plain lane-replay-plain \
	lane-unit-san lane-replay-san lane-unit-valgrind lane-replay-valgrind \
	fuzz bench demo lint install uninstall clean help deb-check FORCE

all: $(BIN) $(COMPLETIONS)

# Relink when the build flavour changes (a sanitized build and a plain one
# share the program's path).
FLAVOUR := $(CC) $(CFLAGS) $(LDFLAGS) $(SANITIZE) $(O) $(DATADIR)
$(O)/.flavour: FORCE
	@mkdir -p $(O)
	@echo '$(FLAVOUR)' | cmp -s - $@ || echo '$(FLAVOUR)' > $@

$(O)/%.o: src/%.c $(O)/.flavour
	@mkdir -p $(dir $@)
	$(CC) $(BD_CPPFLAGS) $(BD_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(O)/main.o $(REGISTRY_OBJ) $(LIB) $(O)/.flavour
	$(CC) $(BD_CFLAGS) $(BD_LDFLAGS) -o $@ $(O)/main.o $(REGISTRY_OBJ) \
		$(LIB) $(PKG_LIBS)

$(O)/mkregistry: contrib/registry/mkregistry.c $(LIB) $(O)/.flavour
	$(CC) $(BD_CPPFLAGS) $(BD_CFLAGS) $(BD_LDFLAGS) -o $@ $< $(LIB) \
		$(PKG_LIBS)

# Written again when a file is added or removed, as when one changes.
$(O)/.mappings: FORCE
	@mkdir -p $(O)
	@echo '$(MAPPINGS)' | cmp -s - $@ || echo '$(MAPPINGS)' > $@

$(O)/registry_data.c: $(O)/mkregistry $(MAPPINGS) $(O)/.mappings
	$(O)/mkregistry $(MAPPINGS) > $@.tmp || { rm -f $@.tmp; exit 1; }
	mv $@.tmp $@

$(REGISTRY_OBJ): $(O)/registry_data.c $(O)/.flavour
	$(CC) $(BD_CPPFLAGS) $(BD_CFLAGS) -c -o $@ $<

$(O)/mkcompletion: contrib/completion/mkcompletion.c $(LIB) $(O)/.flavour
	$(CC) $(BD_CPPFLAGS) $(BD_CFLAGS) $(BD_LDFLAGS) -o $@ $< $(LIB) \
		$(PKG_LIBS)

$(O)/completion/$(PROGRAM).bash: $(O)/mkcompletion
	@mkdir -p $(dir $@)
	$(O)/mkcompletion bash > $@.tmp && mv $@.tmp $@

$(O)/completion/_$(PROGRAM): $(O)/mkcompletion
	@mkdir -p $(dir $@)
	$(O)/mkcompletion zsh > $@.tmp && mv $@.tmp $@

# ---- tests -----------------------------------------------------------------

$(O)/tests/%.o: tests/%.c $(O)/.flavour
	@mkdir -p $(dir $@)
	$(CC) $(BD_CPPFLAGS) -Itests $(BD_CFLAGS) -c -o $@ $<

$(UNIT_BIN): $(UNIT_SRCS:tests/%.c=$(O)/tests/%.o) $(REGISTRY_OBJ) $(LIB)
	$(CC) $(BD_CFLAGS) $(BD_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CUNIT_LIBS)

$(O)/tests/replay-%: $(O)/tests/fuzz/fuzz_%.o $(O)/tests/fuzz/replay.o $(LIB)
	$(CC) $(BD_CFLAGS) $(BD_LDFLAGS) -o $@ $^ $(PKG_LIBS)

# ---- make check ------------------------------------------------------------
#
# `make check` (six minutes on 2 CPUs, ten at most): lint; the unit tests,
# the fuzz corpora and every end-to-end case, built plain and built with
# ASan/UBSan; valgrind on the unit tests, the corpora and the end-to-end
# cases named in tests/e2e/VALGRIND_SUBSET (one per case module and kind of
# input, each with its reason). `make check-full` runs valgrind on every end-to-end
# case (half an hour). Both build the two flavours side by side, then run two
# lanes side by side: the end-to-end passes, each on E2E_JOBS workers
# (run.py -j, one per CPU; the cases that only wait on four more), and the
# unit tests and corpora, which use one CPU. Each step prints its output
# whole when it ends (make -Otarget).
# The SBOMs are checked against the schemas in the plain pass; the passes
# after it say --no-schema: the same code writes the same documents, and
# one of 4,000 components takes the validator 30 s.
# `make SANITIZE=address,undefined check` runs the plain steps on that
# build only; check-plain, check-sanitize, check-valgrind (the subset) and
# check-valgrind-full each run one pass.

NPROC := $(shell nproc 2>/dev/null || echo 1)
E2E_JOBS ?= $(NPROC)
CHECK_JOBS ?= $(NPROC)
E2E := BD_COMPLETION_DIR=$(O)/completion $(PYTHON) tests/e2e/run.py \
	-j $(E2E_JOBS) --bin ./$(BIN)
VALGRIND_SUBSET := tests/e2e/VALGRIND_SUBSET
# Empty in check-full: every case.
VALGRIND_CASES := --cases-from $(VALGRIND_SUBSET)
# The sanitized flavour, in build/san: its program finds the registry here.
# (Recipes say $(MAKE) $(SAN): make shares its job slots with the lines
# that name $(MAKE) itself.)
SAN := --no-print-directory O=build/san BIN=build/san/$(PROGRAM) \
	SANITIZE=address,undefined DATADIR=$(CURDIR)

# One flavour's steps (O, BIN).
test-bins: $(BIN) $(UNIT_BIN) $(REPLAY_BINS) $(COMPLETIONS)

unit: $(UNIT_BIN)
	$(UNIT_BIN)

# Each harness replays its corpus; the scanner also every malformed file,
# and the planned read and the probe the scanner's corpus too.
replay: $(REPLAY_BINS)
	@for n in $(FUZZ_NAMES); do \
		extra=; [ $$n = scan ] && extra=tests/malformed/corpus; \
		[ $$n = planned -o $$n = probe ] && \
			extra="tests/fuzz/corpus/scan tests/malformed/corpus"; \
		echo "replay $$n"; \
		$(O)/tests/replay-$$n tests/fuzz/corpus/$$n $$extra || exit 1; \
	done

e2e: $(BIN) $(COMPLETIONS)
	$(E2E) $(E2E_ARGS)

unit-valgrind: $(UNIT_BIN)
	$(VALGRIND) $(UNIT_BIN)

replay-valgrind: $(REPLAY_BINS)
	@for n in $(FUZZ_NAMES); do \
		extra=; [ $$n = scan ] && extra=tests/malformed/corpus; \
		[ $$n = planned -o $$n = probe ] && \
			extra="tests/fuzz/corpus/scan tests/malformed/corpus"; \
		echo "replay $$n under valgrind"; \
		$(VALGRIND) $(O)/tests/replay-$$n tests/fuzz/corpus/$$n \
			$$extra || exit 1; \
	done

e2e-valgrind: $(BIN) $(COMPLETIONS)
	$(E2E) $(E2E_ARGS) $(VALGRIND_CASES) --wrapper "$(VALGRIND)"

# One pass each.
check-plain: test-bins
	@$(MAKE) --no-print-directory unit replay e2e

check-sanitize:
	@$(MAKE) $(SAN) check-plain

check-valgrind: test-bins
	@$(MAKE) --no-print-directory unit-valgrind replay-valgrind e2e-valgrind

check-valgrind-full:
	@$(MAKE) --no-print-directory VALGRIND_CASES= check-valgrind

# The lanes of check and check-full: order-only prerequisites chain the
# steps of a lane; CHECK_JOBS=2 runs the two lanes at once.
check-bins: test-bins check-bins-san
check-bins-san:
	@$(MAKE) $(SAN) test-bins
lane-e2e-plain: lint check-bins
	@$(MAKE) --no-print-directory e2e
lane-e2e-san: | lane-e2e-plain
	@$(MAKE) $(SAN) E2E_ARGS=--no-schema e2e
lane-e2e-valgrind: | lane-e2e-san
	@$(MAKE) --no-print-directory E2E_ARGS=--no-schema e2e-valgrind
lane-unit-plain: lint check-bins
	@$(MAKE) --no-print-directory unit
lane-replay-plain: | lane-unit-plain
	@$(MAKE) --no-print-directory replay
lane-unit-san: | lane-replay-plain
	@$(MAKE) $(SAN) unit
lane-replay-san: | lane-unit-san
	@$(MAKE) $(SAN) replay
lane-unit-valgrind: | lane-replay-san
	@$(MAKE) --no-print-directory unit-valgrind
lane-replay-valgrind: | lane-unit-valgrind
	@$(MAKE) --no-print-directory replay-valgrind
lanes: lane-e2e-valgrind lane-replay-valgrind

ifeq ($(SANITIZE),)
check:
	@$(MAKE) --no-print-directory -j$(CHECK_JOBS) -Otarget lanes
else
check: check-plain
endif

check-full:
	@$(MAKE) --no-print-directory -j$(CHECK_JOBS) -Otarget \
		VALGRIND_CASES= VALGRIND_ORIGINS=yes lanes

# libFuzzer builds of every harness, each run for FUZZ_SECONDS.
FUZZ_SECONDS ?= 60
fuzz:
	@mkdir -p build/fuzz
	@for n in $(FUZZ_NAMES); do \
		$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined \
			$(BD_CPPFLAGS) -Itests -std=c11 -o build/fuzz/$$n \
			tests/fuzz/fuzz_$$n.c $(LIB_SRCS) $(PKG_LIBS) || exit 1; \
		mkdir -p build/fuzz/corpus-$$n; \
		build/fuzz/$$n -max_total_time=$(FUZZ_SECONDS) \
			build/fuzz/corpus-$$n tests/fuzz/corpus/$$n || exit 1; \
	done

# The floor make bench measures against: the same files read and
# SHA-256'd on two threads (contrib/hashfloor.c).
$(O)/hashfloor: contrib/hashfloor.c $(O)/.flavour
	$(CC) -D_GNU_SOURCE $(BD_CFLAGS) $(BD_LDFLAGS) -o $@ $< \
		$(shell $(PKG_CONFIG) --libs libcrypto)

bench: $(BIN) $(O)/hashfloor
	PYTHON=$(PYTHON) sh contrib/bench.sh ./$(BIN) $(O)/hashfloor

# The main job on a default input: the system's curl and systemd.
# `make demo`: the system's curl and systemd, then a wheel made here as
# auditwheel would leave it (a C extension whose RUNPATH reaches the zlib
# it vendors), zipped by perl's IO::Compress::Zip (build-essential brings
# perl), and read in place from a dist/ directory.
DEMO := $(O)/demo
DEMO_PKG := $(DEMO)/wheel/demo_pkg
DEMO_WHEEL := demo_pkg-1.0-cp311-cp311-linux_x86_64.whl

demo: $(BIN)
	./$(BIN) -v --source-name demo /usr/bin/curl /usr/lib/systemd/systemd
	@echo 'demo: a wheel made in $(DEMO)/dist, read in place:'
	@rm -rf $(DEMO)
	@mkdir -p $(DEMO_PKG) $(DEMO_PKG).libs $(DEMO_PKG)-1.0.dist-info \
		$(DEMO)/dist
	@printf 'extern const char *zlibVersion(void);\n%s\n' \
		'const char *demo_zlib(void) { return zlibVersion(); }' \
		> $(DEMO)/demo.c
	@$(CC) -shared -fPIC -o $(DEMO_PKG)/_demo.cpython-311-x86_64-linux-gnu.so \
		$(DEMO)/demo.c -l:libz.so.1 \
		-Wl,--enable-new-dtags,-rpath,'$$ORIGIN/../demo_pkg.libs'
	@cp -L "$$($(CC) -print-file-name=libz.so.1)" $(DEMO_PKG).libs/
	@: > $(DEMO_PKG)/__init__.py
	@printf 'Metadata-Version: 2.1\nName: demo-pkg\nVersion: 1.0\n' \
		> $(DEMO_PKG)-1.0.dist-info/METADATA
	@cd $(DEMO)/wheel && perl -MIO::Compress::Zip=zip,\$$ZipError -e \
		'zip [@ARGV] => "../dist/$(DEMO_WHEEL)" or die $$ZipError' \
		demo_pkg/__init__.py demo_pkg/_demo.cpython-311-x86_64-linux-gnu.so \
		demo_pkg.libs/libz.so.1 demo_pkg-1.0.dist-info/METADATA
	./$(BIN) --format text $(DEMO)/dist/

# The Debian package: built by dpkg-buildpackage from a copy of the tree
# (build/deb-check/src/), checked by lintian, installed by dpkg into a
# fresh root made of its dependencies, run there (tests/deb_check.py;
# contrib/install-deps --deb). Not part of check: it builds the program
# again and downloads 45 packages the first time.
deb-check:
	$(PYTHON) tests/deb_check.py

lint:
	clang-format --dry-run --Werror src/*.c include/bindep/*.h \
		tests/unit/*.c tests/fuzz/*.c tests/purl_check.c \
		contrib/completion/*.c contrib/registry/*.c

install: $(BIN) $(COMPLETIONS)
	$(INSTALL) -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)/man1"
	$(INSTALL) -m 755 "$(BIN)" "$(DESTDIR)$(BINDIR)/$(PROGRAM)"
	$(INSTALL) -m 644 doc/$(PROGRAM).1 "$(DESTDIR)$(MANDIR)/man1/"
	$(INSTALL) -d "$(DESTDIR)$(DATADIR)/mappings"
	$(INSTALL) -m 644 mappings/*.yml mappings/README.md \
		"$(DESTDIR)$(DATADIR)/mappings/"
	$(INSTALL) -d "$(DESTDIR)$(BASHCOMPDIR)" "$(DESTDIR)$(ZSHCOMPDIR)"
	$(INSTALL) -m 644 "$(O)/completion/$(PROGRAM).bash" \
		"$(DESTDIR)$(BASHCOMPDIR)/$(PROGRAM)"
	$(INSTALL) -m 644 "$(O)/completion/_$(PROGRAM)" "$(DESTDIR)$(ZSHCOMPDIR)/"
	$(INSTALL) -d "$(DESTDIR)$(DATADIR)/ci"
	$(INSTALL) -m 755 contrib/ci/bindep-sbom-ci "$(DESTDIR)$(DATADIR)/ci/"

# What install copied, and nothing else: DATADIR may be a directory
# shared with others (DATADIR=/usr/local/share). Then the directories of
# its own, when that left them empty (a mapping file of the user's keeps
# mappings/).
uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/$(PROGRAM)" \
		"$(DESTDIR)$(MANDIR)/man1/$(PROGRAM).1" \
		"$(DESTDIR)$(BASHCOMPDIR)/$(PROGRAM)" \
		"$(DESTDIR)$(ZSHCOMPDIR)/_$(PROGRAM)" \
		"$(DESTDIR)$(DATADIR)/ci/bindep-sbom-ci"
	for f in mappings/*.yml mappings/README.md; do \
		rm -f "$(DESTDIR)$(DATADIR)/$$f" || exit 1; \
	done
	for d in "$(DESTDIR)$(DATADIR)/mappings" "$(DESTDIR)$(DATADIR)/ci" \
		"$(DESTDIR)$(DATADIR)"; do \
		[ ! -d "$$d" ] || rmdir "$$d" 2>/dev/null || :; \
	done

clean:
	rm -rf build $(PROGRAM)

help:
	@echo 'targets: all check check-full install uninstall clean lint bench fuzz demo deb-check'

-include $(wildcard $(O)/*.d $(O)/tests/*.d $(O)/tests/*/*.d)
