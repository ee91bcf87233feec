"""Django's session middleware, except on ``/session-terminee``."""

from __future__ import annotations

from django.contrib.sessions import middleware

from realstack.patient_pages import ENDED_PATH


class SessionMiddleware(middleware.SessionMiddleware):
    """Where the screen's inactivity timer lands, the session is left as it is: with
    SESSION_SAVE_EVERY_REQUEST, Django saves a live session at every request, so that page
    (loaded by a script, no user action) would give the server's session 2 more hours."""

    def process_response(self, request, response):
        if request.path == ENDED_PATH:
            return response
        return super().process_response(request, response)
