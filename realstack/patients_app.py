"""The application behind SPICO's gate: a patient list with NO session logic of its own.

It trusts the gate: whoever reaches it was let through by mod_auth_openidc, which names the
user in its headers (X-Remote-User from REMOTE_USER, OIDC_CLAIM_*). Sessions, timeouts and
logout are the gate's and the portal's, which is what an audit of the real stack is about.
The patients are the simulator's Faker data (``simulator/seed.py``), listed and read by the
simulator's own queries (``simulator/spico/patients.py``).

Only the screen half of the 2-hour rule is the page's: after ``--inactivite`` seconds with
no click or key, a script (setTimeout, so a browser with a faked clock drives it) replaces
the page with ``/session-terminee``, a public page the gate lets through without a session.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sqlite3
from datetime import date

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from simulator import catalog, db, seed
from simulator.accounts import Accounts
from simulator.spico import patients

SEED = 20240411
LOGOUT_ENV = "REALSTACK_DECONNEXION"
COUNT_ENV = "REALSTACK_PATIENTS"
IDLE_ENV = "REALSTACK_INACTIVITE"
#: The guide's 2 hours: the screen's own inactivity limit, whatever the gate is set to.
IDLE_SECONDS = 7200
ENDED_PATH = "/session-terminee"
NO_STORE = {"Cache-Control": "no-store"}
#: setTimeout's longest delay (2^31 - 1 ms); a longer one would fire at once.
MAX_TIMEOUT_MS = 2**31 - 1

PAGE = """<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 0 2em; }}
header {{ display: flex; justify-content: space-between; align-items: center; }}
#menu-utilisateur[hidden] {{ display: none; }}
table {{ border-collapse: collapse; }}
td, th {{ padding: .2em .6em; border-bottom: 1px solid #ccc; }}
dt {{ font-weight: bold; }}
</style></head>
<body>
{header}
<main>
{main}
</main>
{scripts}
</body></html>
"""

HEADER = """<header>
  <p>SPICO — pile de référence</p>
  <nav aria-label="Compte">
    <button type="button" aria-expanded="false" aria-controls="menu-utilisateur"
            aria-label="Menu utilisateur" id="bouton-menu">{user}</button>
    <div id="menu-utilisateur" hidden>
      <a role="button" href="{logout}">Se déconnecter</a>
    </div>
  </nav>
</header>"""

MENU_SCRIPT = """<script>
const button = document.getElementById("bouton-menu");
const menu = document.getElementById("menu-utilisateur");
button.addEventListener("click", () => {
  const open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", String(open));
  menu.hidden = !open;
});
</script>"""

# No polling and no request before the delay: one timer, set again by every click or key.
IDLE_SCRIPT = """<script>
(() => {
  const delay = %(delay)d;
  let timer = null;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => window.location.replace(%(ended)s), delay);
  };
  document.addEventListener("click", arm, true);
  document.addEventListener("keydown", arm, true);
  arm();
})();
</script>"""

LIST = """<h1>Liste des patients</h1>
<form method="get" action="/" role="search" aria-label="Recherche de patients">
  <label for="sexe">Sexe</label>
  <select id="sexe" name="sexe">
{options}
  </select>
{error}
  <button type="submit">Rechercher les patients</button>
</form>
<p>{total} patients</p>
<table aria-label="Patients">
<thead><tr><th>Identité</th><th>Date de naissance</th><th>Statut</th>
<th>Date de mise à jour</th><th>Actions</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>"""

RECORD = """<p><a href="/">← Liste des patients</a></p>
<h1>{name}</h1>
<section aria-label="Dossier du patient">
<dl>
  <dt>Identité</dt><dd>{name}</dd>
  <dt>Date de naissance</dt><dd>{birth}</dd>
  <dt>Sexe</dt><dd>{sex}</dd>
  <dt>Statut</dt><dd>{status}</dd>
  <dt>Date de mise à jour</dt><dd>{updated}</dd>
</dl>
</section>"""

NOT_FOUND = """<p><a href="/">← Liste des patients</a></p>
<h1>Patient introuvable</h1>
<p>Ce dossier n'existe pas.</p>"""

ENDED = """<h1>Votre session SPICO est terminée</h1>
<p>Après une période d'inactivité, les données des patients ne sont plus affichées.</p>
<p><a href="/">Se reconnecter</a></p>"""


def _database(count: int) -> sqlite3.Connection:
    conn = db.connect(":memory:")
    seed.seed_if_empty(conn, Accounts(conn), count, SEED)
    return conn


def _french(iso: str) -> str:
    return date.fromisoformat(iso[:10]).strftime("%d/%m/%Y")


def _name(patient: sqlite3.Row) -> str:
    return html.escape(f"{patient['family_name'].upper()} {patient['given_name']}")


def _row(patient: sqlite3.Row) -> str:
    return (
        f"<tr><td>{_name(patient)}</td><td>{_french(patient['birth_date'])}</td>"
        f"<td>{html.escape(patient['status'])}</td><td>{_french(patient['updated_at'])}</td>"
        f"<td><a href='/dossier/{patient['id']}'>Ouvrir le dossier</a></td></tr>"
    )


def _options(current: str) -> str:
    choices = [("", "Tous"), *((sex, sex) for sex in catalog.SEXES)]
    return "\n".join(
        f"    <option value='{html.escape(value)}'{' selected' if value == current else ''}>"
        f"{html.escape(text)}</option>"
        for value, text in choices
    )


def idle_script(seconds: int) -> str:
    """The screen's inactivity timer, to ``/session-terminee`` after ``seconds``."""
    delay = min(max(seconds, 0) * 1000, MAX_TIMEOUT_MS)
    return IDLE_SCRIPT % {"delay": delay, "ended": json.dumps(ENDED_PATH)}


def create_app(count: int, logout_url: str, idle_seconds: int = IDLE_SECONDS) -> Starlette:
    conn = _database(count)
    professionals = seed.professionals(SEED)
    idle = idle_script(idle_seconds)

    def page(request: Request, title: str, main: str, status: int = 200, data=True):
        """A page behind the gate: the header with the user's menu; with patient data, the
        screen's inactivity timer too."""
        user = (
            request.headers.get("oidc_claim_name")
            or request.headers.get("x-remote-user")
            or "utilisateur inconnu"
        )
        header = HEADER.format(user=html.escape(user), logout=html.escape(logout_url))
        scripts = MENU_SCRIPT + ("\n" + idle if data else "")
        body = PAGE.format(title=title, header=header, main=main, scripts=scripts)
        return HTMLResponse(body, status, headers=NO_STORE)

    async def patient_list(request: Request) -> HTMLResponse:
        search = patients.parse(dict(request.query_params), professionals)
        rows, total = patients.run(conn, search) if search.valid else ([], 0)
        error = search.errors.get("sexe")
        main = LIST.format(
            options=_options(search.values["sexe"]),
            error=f'  <span role="alert">{html.escape(error)}</span>' if error else "",
            total=total,
            rows="\n".join(_row(p) for p in rows),
        )
        status = 200 if search.valid else 400
        return page(request, "SPICO — Liste des patients", main, status)

    async def patient_record(request: Request) -> HTMLResponse:
        patient = patients.get(conn, request.path_params["patient_id"])
        if patient is None:
            return page(request, "SPICO — Patient introuvable", NOT_FOUND, 404, data=False)
        main = RECORD.format(
            name=_name(patient),
            birth=_french(patient["birth_date"]),
            sex=html.escape(patient["sex"]),
            status=html.escape(patient["status"]),
            updated=_french(patient["updated_at"]),
        )
        return page(request, f"SPICO — {_name(patient)}", main)

    async def session_ended(request: Request) -> HTMLResponse:
        """Public (the gate lets it through without a session): no patient, no menu."""
        body = PAGE.format(title="SPICO — Session terminée", header="", main=ENDED, scripts="")
        return HTMLResponse(body, headers=NO_STORE)

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
