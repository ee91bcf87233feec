"""The SPICO mobile app and its device API (EXI-MOB-*)."""
