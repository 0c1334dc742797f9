# make demo [VENUE=self|docker]: the README's first command.
.PHONY: demo
demo:
	VENUE=$(or $(VENUE),self) scripts/demo
