"""Answer-accuracy suite: gold set, metrics with no LLM judge, naive baseline, report and benchmark."""
