"""SPICO's addresses: the patient pages, and the sign-in and logout django-cas-ng makes CAS's
(the sign-in address also takes PASS's back-channel logout requests)."""

from django.urls import path
from django_cas_ng import views as cas

from realstack.django_app import LOGIN_PATH, LOGOUT_PATH
from realstack.patient_pages import ENDED_PATH

from . import views

urlpatterns = [
    path("", views.patient_list),
    path("dossier/<int:patient_id>", views.patient_record),
    path(ENDED_PATH.lstrip("/"), views.session_ended),
    path(LOGIN_PATH.lstrip("/"), cas.LoginView.as_view(), name="cas_ng_login"),
    path(LOGOUT_PATH.lstrip("/"), cas.LogoutView.as_view(), name="cas_ng_logout"),
]
