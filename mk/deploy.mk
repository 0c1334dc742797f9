# SPDX-License-Identifier: Apache-2.0
# Deploy artefacts (docs/deploy.md): deploy/k8s/*.yaml parsed and held to
# the hardening the docs promise, and the documented docker run kept equal
# to scripts/run-container. Part of make check.
.PHONY: deploy-check
deploy-check:
	tests/deploy/check-k8s
