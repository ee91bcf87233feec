"""SPICO as a Django application with its own sessions, signed in through PASS's CAS server
(django-cas-ng), for the Django stack (``realstack/django_stack.py``)."""
