"""Step definitions: one sentence of a feature, one call to a page or screen object."""
