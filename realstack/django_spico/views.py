"""The patient pages (``realstack/patient_pages.py``) for a user signed in with a Django
session; none kept by the browser's cache (never_cache: no-store)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache

from realstack import patient_pages

#: Seeded as each worker starts (``wsgi.py``), the same patients in each.
PATIENTS = patient_pages.Patients(settings.SPICO_PATIENTS)


def _answer(request: HttpRequest, page: patient_pages.Page) -> HttpResponse:
    """The page for the signed-in user, named as PASS gave their name (``cn``)."""
    user = request.session.get("attributes", {}).get("cn") or request.user.get_username()
    logout = reverse("cas_ng_logout")
    body = patient_pages.signed_in(page, user, logout, settings.SPICO_IDLE_SECONDS)
    return HttpResponse(body, status=page.status)


@never_cache
@login_required
def patient_list(request: HttpRequest) -> HttpResponse:
    return _answer(request, PATIENTS.listing(request.GET.dict()))


@never_cache
@login_required
def patient_record(request: HttpRequest, patient_id: int) -> HttpResponse:
    return _answer(request, PATIENTS.record(patient_id))


@never_cache
def session_ended(request: HttpRequest) -> HttpResponse:
    """Public; the session left as it is (``middleware.py``): the screen's timer landing
    here is no activity that would keep it alive."""
    return HttpResponse(patient_pages.session_ended())
