"""SPICO, the care-coordination tool: an OpenID Connect client of PASS showing the patient list."""
