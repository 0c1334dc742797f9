# SPDX-License-Identifier: Apache-2.0
# seccomp/syscalls.txt is the one source of truth for both filters:
#   build/gen/tki_seccomp_rules.h  the binary's own filter (generated at build time)
#   seccomp/tki-container.json     the Docker profile (checked in; regenerate with
#                                  `make seccomp-profile`, `make seccomp-check` fails on drift)
SECCOMP_LIST    := seccomp/syscalls.txt
SECCOMP_PROFILE := seccomp/tki-container.json
SECCOMP_GEN     := $(BUILD)/tools/tki-seccomp-gen
SECCOMP_HDR     := $(BUILD)/gen/tki_seccomp_rules.h
GEN_HDRS += $(SECCOMP_HDR)

# The generator shares the list parser with the binary, compiled on its own
# here so that it does not wait for the header it generates.
SECCOMP_GEN_SRCS := seccomp/gen.c src/sandbox_sclist.c src/common.c src/common_alloc.c src/common_escape.c src/guard_path.c
$(SECCOMP_GEN): $(SECCOMP_GEN_SRCS) src/sandbox_sclist.h include/tki/common.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(SECCOMP_GEN_SRCS) $(LDLIBS)

$(SECCOMP_HDR): $(SECCOMP_LIST) $(SECCOMP_GEN) | $(BUILD)/gen
	$(SECCOMP_GEN) header $(SECCOMP_LIST) >$@.tmp && mv $@.tmp $@

# The Makefile includes this file first, so every object rule sees the
# header in GEN_HDRS; the objects that include it also say so directly, so
# that no include order can lose it.
$(BUILD)/obj/sandbox_seccomp.o $(BUILD)/static/sandbox_seccomp.o $(BUILD)/fuzz/obj/sandbox_seccomp.o \
$(BUILD)/tests/test_sandbox_sclist: $(SECCOMP_HDR)

.PHONY: seccomp-profile seccomp-check
seccomp-profile: $(SECCOMP_GEN)
	$(SECCOMP_GEN) docker $(SECCOMP_LIST) >$(SECCOMP_PROFILE).tmp && mv $(SECCOMP_PROFILE).tmp $(SECCOMP_PROFILE)

# Drift check, part of `make check`: the checked-in profile must be exactly
# what the list generates.
seccomp-check: $(SECCOMP_GEN)
	@$(SECCOMP_GEN) docker $(SECCOMP_LIST) >$(BUILD)/tki-container.json.want
	@if ! diff -u $(SECCOMP_PROFILE) $(BUILD)/tki-container.json.want; then \
		echo "seccomp-check: $(SECCOMP_PROFILE) differs from what $(SECCOMP_LIST) generates." >&2; \
		echo "Hint: run 'make seccomp-profile' and commit $(SECCOMP_PROFILE) with the list." >&2; \
		exit 1; \
	fi
	@echo "seccomp-check: $(SECCOMP_PROFILE) matches $(SECCOMP_LIST)"

# The pod profile (seccomp/tki-pod.json): the container's rules plus the
# "pod" lines of the same list, for --self-sandbox inside a pod
# (docs/deploy.md). Its drift check runs with seccomp-check.
SECCOMP_POD_PROFILE := seccomp/tki-pod.json

.PHONY: seccomp-pod-profile seccomp-pod-check
seccomp-pod-profile: $(SECCOMP_GEN)
	$(SECCOMP_GEN) pod $(SECCOMP_LIST) >$(SECCOMP_POD_PROFILE).tmp && mv $(SECCOMP_POD_PROFILE).tmp $(SECCOMP_POD_PROFILE)

seccomp-check: seccomp-pod-check
seccomp-pod-check: $(SECCOMP_GEN)
	@$(SECCOMP_GEN) pod $(SECCOMP_LIST) >$(BUILD)/tki-pod.json.want
	@if ! diff -u $(SECCOMP_POD_PROFILE) $(BUILD)/tki-pod.json.want; then \
		echo "seccomp-pod-check: $(SECCOMP_POD_PROFILE) differs from what $(SECCOMP_LIST) generates." >&2; \
		echo "Hint: run 'make seccomp-pod-profile' and commit $(SECCOMP_POD_PROFILE) with the list." >&2; \
		exit 1; \
	fi
	@echo "seccomp-pod-check: $(SECCOMP_POD_PROFILE) matches $(SECCOMP_LIST)"

# The binary's filter compiled at build time (issue 16): the generator runs
# libseccomp here and exports the BPF program; src/sandbox_seccomp.c loads
# it with seccomp(2), with no libseccomp work at run time. The generator
# runs on the build host, so the host must be the target (no cross build;
# src/sandbox_seccomp.c refuses a header made for another audit arch).
SECCOMP_BPF_HDR := $(BUILD)/gen/tki_seccomp_bpf.h
GEN_HDRS += $(SECCOMP_BPF_HDR)
$(SECCOMP_BPF_HDR): $(SECCOMP_LIST) $(SECCOMP_GEN) | $(BUILD)/gen
	$(SECCOMP_GEN) bpf $(SECCOMP_LIST) >$@.tmp && mv $@.tmp $@
$(BUILD)/obj/sandbox_seccomp.o $(BUILD)/static/sandbox_seccomp.o $(BUILD)/fuzz/obj/sandbox_seccomp.o: $(SECCOMP_BPF_HDR)
