"""A faithful, fault-injectable SPICO + PASS simulator: the suite's default target."""
