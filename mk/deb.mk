# SPDX-License-Identifier: Apache-2.0
# The Debian package (debian/, docs/packaging.md).
#   make deb        build it in a temporary copy of the tree: build/deb/*.deb
#   make deb-check  build, lintian (no error, no warning), install (scratch
#                   root; apt-get under CI=true), run the installed binary
# deb-check is part of make check: about a minute (docs/packaging.md, why).
# It rebuilds from a clean copy, so it needs no binary of this tree.
# $(DEB_CHECK) is deb-check, or a SKIP line without dpkg-buildpackage.
DEB_OUT := $(BUILD)/deb
.PHONY: deb deb-check deb-check-skip
deb:
	scripts/build-deb $(DEB_OUT)
deb-check:
	tests/deb/run $(abspath $(DEB_OUT))
deb-check-skip:
	@echo "ok - deb-check # SKIP dpkg-buildpackage not installed (scripts/deps installs it)"
DEB_CHECK := $(if $(shell command -v dpkg-buildpackage 2>/dev/null),deb-check,deb-check-skip)
check: $(DEB_CHECK)
