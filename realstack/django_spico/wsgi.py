"""gunicorn's entry point (``realstack.django_spico.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

from realstack import django_app

os.environ.setdefault("DJANGO_SETTINGS_MODULE", django_app.SETTINGS_MODULE)
application = get_wsgi_application()

# the patients seeded as each worker starts, not at its first request
from . import views  # noqa: E402, F401
