"""The application behind SPICO's gate: the patient pages (``realstack/patient_pages.py``)
with NO session logic of their own.

It trusts the gate: whoever reaches it was let through by mod_auth_openidc, which names the
user in its headers (X-Remote-User from REMOTE_USER, OIDC_CLAIM_*). Sessions, timeouts and
logout are the gate's and the portal's, which is what an audit of the real stack is about.
``/session-terminee``, where the screen's inactivity timer leads, is a page the gate lets
through without a session.
"""

from __future__ import annotations

import argparse
import os

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from . import patient_pages
from .patient_pages import ENDED_PATH, NO_STORE
from .profile_file import GUIDE_IDLE_SECONDS

LOGOUT_ENV = "REALSTACK_DECONNEXION"
COUNT_ENV = "REALSTACK_PATIENTS"
IDLE_ENV = "REALSTACK_INACTIVITE"
#: The screen's own inactivity limit when none is given: the guide's 2 hours.
IDLE_SECONDS = GUIDE_IDLE_SECONDS


def create_app(count: int, logout_url: str, idle_seconds: int = IDLE_SECONDS) -> Starlette:
    pages = patient_pages.Patients(count)

    def answer(request: Request, page: patient_pages.Page) -> HTMLResponse:
        """A page behind the gate, for the user its headers name."""
        user = (
            request.headers.get("oidc_claim_name")
            or request.headers.get("x-remote-user")
            or "utilisateur inconnu"
        )
        body = patient_pages.signed_in(page, user, logout_url, idle_seconds)
        return HTMLResponse(body, page.status, headers=NO_STORE)

    async def patient_list(request: Request) -> HTMLResponse:
        return answer(request, pages.listing(dict(request.query_params)))

    async def patient_record(request: Request) -> HTMLResponse:
        return answer(request, pages.record(request.path_params["patient_id"]))

    async def session_ended(request: Request) -> HTMLResponse:
        return HTMLResponse(patient_pages.session_ended(), headers=NO_STORE)

    return Starlette(
        routes=[
            Route("/", patient_list),
            Route("/dossier/{patient_id:int}", patient_record),
            Route(ENDED_PATH, session_ended),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Liste des patients derrière la porte de SPICO")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--patients", type=int, default=int(os.environ.get(COUNT_ENV, "200")))
    parser.add_argument("--deconnexion", default=os.environ.get(LOGOUT_ENV, "/"))
    parser.add_argument(
        "--inactivite",
        type=int,
        metavar="SECONDES",
        default=int(os.environ.get(IDLE_ENV, str(IDLE_SECONDS))),
        help="inactivité (sans clic ni touche) après laquelle l'écran quitte les données",
    )
    args = parser.parse_args()
    app = create_app(args.patients, args.deconnexion, args.inactivite)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
