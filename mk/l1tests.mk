# SPDX-License-Identifier: Apache-2.0
# L1 wall tests (test tree only, never in the shipped binary):
# build/tests/walls (dynamic, for --venue self) and build/tests/walls-static
# (for the FROM scratch image and bwrap), both linked with the project's
# objects except main.o so that they apply the very same own layer.
L1_WALLS_SRC := tests/l1/walls.c
# Observations are cut to fit their line on purpose.
L1_WALLS_CFLAGS := -Wno-format-truncation
L1_STATIC_LIB_OBJS := $(filter-out $(BUILD)/static/main.o,$(SRCS:src/%.c=$(BUILD)/static/%.o))

.PHONY: l1tests
l1tests: $(BUILD)/tests/walls $(BUILD)/tests/walls-static

$(BUILD)/tests/walls: $(L1_WALLS_SRC) $(LIB_OBJS) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $(L1_WALLS_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(LDLIBS)

# glibc's static-link warnings (getpwuid via libcap-ng) are the documented
# residuals of #35; anything else fails the build.
$(BUILD)/tests/walls-static: $(L1_WALLS_SRC) $(L1_STATIC_LIB_OBJS) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $(L1_WALLS_CFLAGS) -static-pie -Wl,-z,relro,-z,now -o $@ $< $(L1_STATIC_LIB_OBJS) $(STATIC_LIBS)
