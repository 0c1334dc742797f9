# SPDX-License-Identifier: Apache-2.0
# #35: the build fails if our objects or the dynamic binary reference a
# network, exec or dlopen entry point, or if the static binary holds one not
# listed in scripts/static-residuals.txt. A failing check removes the
# binary, so the next `make` does not take it as up to date.
IMPORT_CHECK := scripts/check-imports
STATIC_RESIDUALS := scripts/static-residuals.txt

POST_LINK_CHECKS += { $(IMPORT_CHECK) objects $(OBJS) && $(IMPORT_CHECK) dynamic $@; } || { rm -f $@; exit 1; };
# Run by the static rule between link and strip (the symbols are needed).
STATIC_POST_LINK_CHECKS += $(IMPORT_CHECK) static $@ $(STATIC_RESIDUALS) || { rm -f $@; exit 1; };

$(BIN): $(IMPORT_CHECK)
$(STATIC_BIN): $(IMPORT_CHECK) $(STATIC_RESIDUALS)
