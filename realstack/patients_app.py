"""The application behind SPICO's gate: a patient list with NO session logic of its own.

It trusts the gate: whoever reaches it was let through by mod_auth_openidc, which names the
user in its headers (X-Remote-User from REMOTE_USER, OIDC_CLAIM_*). Sessions, timeouts and
logout are the gate's and the portal's, which is what an audit of the real stack is about.
The patients are the simulator's Faker data (``simulator/seed.py``), listed by the
simulator's own query (``simulator/spico/patients.py``).
"""

from __future__ import annotations

import argparse
import html
import os
import sqlite3
from datetime import date

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from simulator import db, seed
from simulator.accounts import Accounts
from simulator.spico import patients

SEED = 20240411
LOGOUT_ENV = "REALSTACK_DECONNEXION"
COUNT_ENV = "REALSTACK_PATIENTS"

PAGE = """<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>SPICO — Liste des patients</title>
<style>
body {{ font-family: sans-serif; margin: 0 2em; }}
header {{ display: flex; justify-content: space-between; align-items: center; }}
#menu-utilisateur[hidden] {{ display: none; }}
table {{ border-collapse: collapse; }}
td, th {{ padding: .2em .6em; border-bottom: 1px solid #ccc; }}
</style></head>
<body>
<header>
  <p>SPICO — pile de référence</p>
  <nav aria-label="Compte">
    <button type="button" aria-expanded="false" aria-controls="menu-utilisateur"
            aria-label="Menu utilisateur" id="bouton-menu">{user}</button>
    <div id="menu-utilisateur" hidden>
      <a role="button" href="{logout}">Se déconnecter</a>
    </div>
  </nav>
</header>
<main>
<h1>Liste des patients</h1>
<p>{total} patients</p>
<table aria-label="Patients">
<thead><tr><th>Identité</th><th>Date de naissance</th><th>Statut</th>
<th>Date de mise à jour</th><th>Actions</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</main>
<script>
const button = document.getElementById("bouton-menu");
const menu = document.getElementById("menu-utilisateur");
button.addEventListener("click", () => {{
  const open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", String(open));
  menu.hidden = !open;
}});
</script>
</body></html>
"""


def _database(count: int) -> sqlite3.Connection:
    conn = db.connect(":memory:")
    seed.seed_if_empty(conn, Accounts(conn), count, SEED)
    return conn


def _french(iso: str) -> str:
    return date.fromisoformat(iso[:10]).strftime("%d/%m/%Y")


def _row(patient: sqlite3.Row) -> str:
    name = html.escape(f"{patient['family_name'].upper()} {patient['given_name']}")
    return (
        f"<tr><td>{name}</td><td>{_french(patient['birth_date'])}</td>"
        f"<td>{html.escape(patient['status'])}</td><td>{_french(patient['updated_at'])}</td>"
        f"<td><a href='#'>Ouvrir le dossier</a></td></tr>"
    )


def create_app(count: int, logout_url: str) -> Starlette:
    conn = _database(count)
    professionals = seed.professionals(SEED)

    async def patient_list(request: Request) -> HTMLResponse:
        user = (
            request.headers.get("oidc_claim_name")
            or request.headers.get("x-remote-user")
            or "utilisateur inconnu"
        )
        search = patients.parse(dict(request.query_params), professionals)
        rows, total = patients.run(conn, search) if search.valid else ([], 0)
        body = PAGE.format(
            user=html.escape(user),
            logout=html.escape(logout_url),
            total=total,
            rows="\n".join(_row(p) for p in rows),
        )
        return HTMLResponse(body, headers={"Cache-Control": "no-store"})

    return Starlette(routes=[Route("/", patient_list)])


def main() -> None:
    parser = argparse.ArgumentParser(description="Liste des patients derrière la porte de SPICO")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--patients", type=int, default=int(os.environ.get(COUNT_ENV, "200")))
    parser.add_argument("--deconnexion", default=os.environ.get(LOGOUT_ENV, "/"))
    args = parser.parse_args()
    app = create_app(args.patients, args.deconnexion)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
