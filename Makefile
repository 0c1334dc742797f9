# SPDX-License-Identifier: Apache-2.0
# tki-inspector. `make` builds the dynamic binary (glibc shared, the four
# libraries linked in), `make static` the fully static one for the FROM
# scratch image, `make check` runs every test (its parts are all on the one
# `check:` line below). Stage-specific rules live in mk/*.mk, one concern
# per file. HACKING.md has the map.

CC       ?= cc
PKGS     := libseccomp libcap-ng jansson hogweed nettle
BUILD    := build
PREFIX   ?= /usr/local
BIN      ?= tki-inspector
# The fully static binary, for the FROM scratch image and bwrap.
STATIC_BIN := $(BUILD)/static/tki-inspector

HARDEN_CFLAGS  := -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fPIE
HARDEN_LDFLAGS := -pie -Wl,-z,relro,-z,now
OPT      ?= -O2 -g
WARN     := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wvla \
            -Wmissing-prototypes -Wstrict-prototypes -Wmissing-declarations -Wswitch-enum
# Reproducible builds (docs/reproducible.md, mk/repro.mk): the checkout's
# path never reaches the binary (debug info, __FILE__ in assert), the build
# id is a hash of the content, and tools that stamp a time take it from the
# last commit instead of the clock.
REPRO_CFLAGS  := -ffile-prefix-map=$(CURDIR)=. -Wdate-time
REPRO_LDFLAGS := -Wl,--build-id=sha1
# Expanded once (a ?= would run git for every recipe line it is exported to).
ifeq ($(origin SOURCE_DATE_EPOCH),undefined)
SOURCE_DATE_EPOCH := $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
endif
export SOURCE_DATE_EPOCH
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# -iquote src: private headers live beside their .c files (HACKING.md).
CPPFLAGS += -Iinclude -iquote src -I$(BUILD)/gen -D_GNU_SOURCE
CFLAGS   += -std=gnu11 $(OPT) $(WARN) $(HARDEN_CFLAGS) $(REPRO_CFLAGS) $(PKG_CFLAGS)
LDFLAGS  += $(HARDEN_LDFLAGS) $(REPRO_LDFLAGS)
LDLIBS   += $(PKG_LIBS) -lgmp -lpthread

SRCS     := $(sort $(wildcard src/*.c))
OBJS     := $(SRCS:src/%.c=$(BUILD)/obj/%.o)
LIB_OBJS := $(filter-out $(BUILD)/obj/main.o,$(OBJS))
# The pure files: no system call, unit-tested on captured text (HACKING.md;
# `make pure` holds them to it).
PURE     := adequacy adequacy_pointer attest_dsse attest_raw attest_rejudge attest_statement attest_table \
            cli common_escape common_id common_time packet_locate report_vsa adequacy_binding attest_p1 \
            guard_err guard_path packet_scan packet_schema packet_split progress provenance_eval \
            provenance_rules report_json report_md report_out report_rules report_sarif sandbox_ns_paths \
            sandbox_sclist selfcheck_judge selfcheck_mounts selfcheck_proc batch_shard report_summary
# Generated headers (mk/*.mk append to this); every object waits for them.
GEN_HDRS :=

.PHONY: all static image check venues unit acceptance cycles pure install clean deps
all: $(BIN)

# Explicit and ordered: a missing file fails the build (seccomp first: it
# adds the generated header every object waits for; imports defines the
# post-link checks the binaries run).
include mk/seccomp.mk
include mk/imports.mk
include mk/l1tests.mk
include mk/fuzz.mk
include mk/robust.mk
include mk/sanitize.mk
include mk/valgrind.mk
include mk/deploy.mk
include mk/attest.mk
include mk/p1.mk
include mk/demo.mk
include mk/bench.mk
include mk/schema.mk
include mk/deb.mk
include mk/repro.mk
include mk/batch.mk

$(BUILD)/obj/%.o: src/%.c $(GEN_HDRS) | $(BUILD)/obj
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/obj $(BUILD)/static $(BUILD)/tests $(BUILD)/gen:
	mkdir -p $@

# The four libraries are linked in (nettle with hogweed, its public-key
# half: the ECDSA/Ed25519 verification of signed bundles), glibc stays
# shared: the loader maps and relocates few libraries, about 1 ms of a
# small run (docs/performance.md). Rebuild when Debian updates one of them.
# GMP, which Debian's hogweed is built on, stays shared: Debian forbids
# embedding it (lintian embedded-library), and coreutils (Essential)
# already needs libgmp10, so it is on every Debian host.
BIN_LIBS := -Wl,-Bstatic $(PKG_LIBS) -Wl,-Bdynamic -lgmp -lpthread
$(BIN): $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(BIN_LIBS)
	$(POST_LINK_CHECKS)

# Fully static (static-pie keeps ASLR) for the FROM scratch image.
STATIC_LIBS := $(shell pkg-config --static --libs $(PKGS) 2>/dev/null) -lpthread
$(BUILD)/static/%.o: src/%.c $(GEN_HDRS) | $(BUILD)/static
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<
STATIC_OBJS := $(SRCS:src/%.c=$(BUILD)/static/%.o)
$(STATIC_BIN): $(STATIC_OBJS)
	$(CC) $(CFLAGS) -static-pie -Wl,-z,relro,-z,now $(REPRO_LDFLAGS) -o $@ $(STATIC_OBJS) $(STATIC_LIBS)
	$(STATIC_POST_LINK_CHECKS)
	strip --strip-unneeded $@
static: $(STATIC_BIN)
	@ls -l $< && file $< | grep -q 'static-pie linked\|statically linked'

image: static
	scripts/build-image

# Unit tests: tests/unit/test_NAME.c -> build/tests/test_NAME (cmocka).
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-unused-parameter -DTKI_FIXTURES='"$(CURDIR)/fixtures"' \
		$(LDFLAGS) -o $@ $< $(LIB_OBJS) $(LDLIBS) -lcmocka

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

# The matrix #1-#45 (tests/acceptance/run builds the docker image itself).
# Cases #20/#21 run the guard's unit test, #25-#37 the walls programs, the
# bwrap and docker venues the static binary. Always the whole matrix: a
# partial run (CASES=...) is for tests/acceptance/run by hand.
acceptance: $(BIN) $(STATIC_BIN) $(BUILD)/tests/test_guard l1tests hooks
	CASES= TKI=$(abspath $(BIN)) TKI_STATIC=$(abspath $(STATIC_BIN)) tests/acceptance/run

# Everything that is a test (README, HACKING.md "Which test level runs
# what"). Every prerequisite is on this line; the rules are in mk/*.mk.
# $(FUZZ_REGRESS) is fuzz-regress, or a SKIP line without clang (mk/robust.mk);
# $(DEB_CHECK) is deb-check, or a SKIP line without dpkg-buildpackage (mk/deb.mk).
check: venues cycles pure seccomp-check deploy-check schema-check unit acceptance jsonsuite hostile hostile-reports robust-shipped $(FUZZ_REGRESS) $(DEB_CHECK) repro-fast image-check

# First step of check: as root, start dockerd if it is installed and not
# running, and stop it when this make ends (also on failure); say which
# venues will SKIP and why. The venue tests wait for it.
venues:
	@scripts/check-venues $$PPID
ifneq ($(filter check,$(MAKECMDGOALS)),)
acceptance hostile hostile-reports: | venues
endif

# No call cycle between the modules, no system call in a pure file
# (HACKING.md, "Rules the code keeps").
cycles: $(BIN)
	scripts/check-cycles $(OBJS)
pure: $(BIN)
	scripts/check-pure $(PURE:%=$(BUILD)/obj/%.o)

deps:
	scripts/deps

# What the Debian package ships (debian/rules runs this with PREFIX=/usr):
# the binary, the man page, and in share/tki-inspector the container and pod seccomp
# profiles, the JSON Schemas and the example packet (inspect it in place:
# --in is read-only to the inspector).
SHARE := $(DESTDIR)$(PREFIX)/share/tki-inspector
install: $(BIN)
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/$(notdir $(BIN))
	install -D -m 0644 docs/tki-inspector.1 $(DESTDIR)$(PREFIX)/share/man/man1/tki-inspector.1
	install -D -m 0644 -t $(SHARE)/seccomp seccomp/tki-container.json seccomp/tki-pod.json
	install -D -m 0644 -t $(SHARE)/schemas schemas/*.schema.json
	install -D -m 0644 -t $(SHARE)/example fixtures/example/packet.json
	install -D -m 0644 -t $(SHARE)/example/artifacts fixtures/example/artifacts/*
	install -D -m 0644 -t $(SHARE)/example/notes fixtures/example/notes/*

clean:
	rm -rf $(BUILD) $(BIN) attest-out

-include $(OBJS:.o=.d) $(STATIC_OBJS:.o=.d)
