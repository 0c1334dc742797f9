# SPDX-License-Identifier: Apache-2.0
# make bench: benchmarks against baselines measured in the same run (bench/run).
# make bench-sweep: cost vs manifest size and artifact bytes (docs/performance.md).
.PHONY: bench bench-sweep
# With an engine up, the container benchmark needs the image (else SKIP).
bench: $(BIN)
	@! docker info >/dev/null 2>&1 || $(MAKE) --no-print-directory -s image
	bench/run | tee $(BUILD)/bench.txt
bench-sweep: $(BIN)
	bench/sweep | tee $(BUILD)/sweep.txt
