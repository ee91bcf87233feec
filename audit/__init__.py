"""The audit run: command line, doctor, report."""
