# SPDX-License-Identifier: Apache-2.0
# The Debian package (debian/, docs/packaging.md).
#   make deb        build it in a temporary copy of the tree: build/deb/*.deb
#   make deb-check  build, lintian (no error, no warning), install (scratch
#                   root; apt-get under CI=true), run the installed binary
# deb-check is part of make check: about a minute (docs/packaging.md). It
# rebuilds from a clean copy, so it needs no binary of this tree.
DEB_OUT := $(BUILD)/deb
.PHONY: deb deb-check
deb:
	scripts/build-deb $(DEB_OUT)
deb-check:
	tests/deb/run $(abspath $(DEB_OUT))
ifneq ($(shell command -v dpkg-buildpackage 2>/dev/null),)
check: deb-check
else
check: deb-check-skip
.PHONY: deb-check-skip
deb-check-skip:
	@echo "ok - deb-check # SKIP dpkg-buildpackage not installed (scripts/deps installs it)"
endif
