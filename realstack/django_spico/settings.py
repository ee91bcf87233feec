"""The Django stack's SPICO settings: what the launcher says through the environment
(``realstack/django_app.py``), the settings that make its sessions follow the guide, then
the ``--django`` overrides, applied last so that a named variant can break any of them.

Django's defaults each break a rule of the guide, so each one is said here on purpose:
- SESSION_COOKIE_AGE, 2 weeks: EXI-WEB-INACTIVITE;
- SESSION_SAVE_EVERY_REQUEST, False: the 2 hours count from the session's last change (the
  sign-in), not its last request, so a busy user is cut off: the guide speaks of inactivity
  (EXI-WEB-INACTIVITE's scenarios do not see it: they ask the server only after idle time);
- SESSION_EXPIRE_AT_BROWSER_CLOSE, False: a persistent cookie (EXI-WEB-FERMETURE, BP-COOKIES);
- SESSION_COOKIE_SECURE, False: the cookie goes over HTTP too (BP-COOKIES);
- CSRF_USE_SESSIONS, False: login() sets a year-long csrftoken cookie scripts can read
  (BP-COOKIES);
- no Cache-Control: patient pages kept by the browser (BP-RETOUR-ARRIERE; the views say
  never_cache).
django-cas-ng's own: CAS_VERSION "2" silently ignores PASS's logout requests
(BP-PROPAGATION-SSO); CAS_LOGOUT_COMPLETELY False leaves PASS's session open after SPICO's
logout, and the next page signs the user straight back in (EXI-WEB-DECONNEXION).
"""

from __future__ import annotations

import json
import os

from realstack import django_app

SECRET_KEY = os.environ[django_app.SECRET_ENV]
DEBUG = False
ALLOWED_HOSTS = [os.environ[django_app.HOST_ENV]]
ROOT_URLCONF = "realstack.django_spico.urls"
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django_cas_ng",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Django's, except on /session-terminee (middleware.py)
    "realstack.django_spico.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-cas-ng's: Django's own login and logout views become CAS's
    "django_cas_ng.middleware.CASMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
AUTHENTICATION_BACKENDS = ["django_cas_ng.backends.CASBackend"]
LOGIN_URL = "cas_ng_login"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ[django_app.DATABASE_ENV],
    }
}
USE_TZ = True
TIME_ZONE = "Europe/Paris"
LANGUAGE_CODE = "fr-fr"
# a page's error in gunicorn's log (Django logs them only with DEBUG otherwise)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}

# --- sessions: the guide's rules --------------------------------------------------------
# in the database, so the server can end one (expiry, PASS's logout); a signed-cookie
# session lives in the browser, and PASS's back-channel logout could not end it
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# 2 hours without a request and the session is over (EXI-WEB-INACTIVITE), or the short
# policy the stack was started with on purpose…
SESSION_COOKIE_AGE = int(os.environ[django_app.IDLE_ENV])
# … counted from the last request, not from the sign-in: each request saves the session
SESSION_SAVE_EVERY_REQUEST = True
# a cookie without expiry: closing the window ends it (EXI-WEB-FERMETURE)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# only over HTTPS (BP-COOKIES)
SESSION_COOKIE_SECURE = True
# out of the pages' scripts' reach (BP-COOKIES)
SESSION_COOKIE_HTTPONLY = True
# not sent by other sites' requests, but still by PASS's redirect back to SPICO (BP-COOKIES)
SESSION_COOKIE_SAMESITE = "Lax"
# the CSRF token in the session: by default login() gives the browser a csrftoken cookie,
# a year long and readable by scripts, which appears at sign-in (BP-COOKIES)
CSRF_USE_SESSIONS = True

# --- CAS: PASS --------------------------------------------------------------------------
CAS_SERVER_URL = os.environ[django_app.CAS_ENV]
# CAS 3: its client reads PASS's back-channel logout requests; CAS 2's silently ignores them
CAS_VERSION = "3"
# SPICO's logout ends PASS's session too (CAS logout): otherwise PASS signs the user
# straight back in, and the guide's logout leaves both closed
CAS_LOGOUT_COMPLETELY = True
# back to SPICO's home after a logout, whatever page it was clicked on
CAS_IGNORE_REFERER = True
CAS_REDIRECT_URL = "/"
# no "welcome" message: Django's messages would need a cookie of their own
CAS_LOGIN_MSG = None
CAS_LOGGED_MSG = None

# --- the patient pages ------------------------------------------------------------------
SPICO_PATIENTS = int(os.environ[django_app.PATIENTS_ENV])
# the screen's own inactivity limit (the page's timer), whatever the sessions are set to
SPICO_IDLE_SECONDS = int(os.environ[django_app.IDLE_ENV])

# --- ``--django NAME=VALUE``, last ------------------------------------------------------
for _text in json.loads(os.environ.get(django_app.OVERRIDES_ENV, "[]")):
    _name, _value = django_app.check_setting(_text)
    globals()[_name] = _value
