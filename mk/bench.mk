# SPDX-License-Identifier: Apache-2.0
# make bench: benchmarks against baselines measured in the same run (bench/run).
# make bench-sweep: cost vs manifest size and artifact bytes (docs/performance.md).
.PHONY: bench bench-sweep
bench: tki-inspector
	bench/run | tee $(BUILD)/bench.txt
bench-sweep: tki-inspector
	bench/sweep | tee $(BUILD)/sweep.txt
