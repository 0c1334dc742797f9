# SPDX-License-Identifier: Apache-2.0
# make demo [VENUE=self|docker]: the README's first command.
.PHONY: demo
demo:
	VENUE=$(or $(VENUE),self) scripts/demo
