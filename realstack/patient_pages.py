"""SPICO's patient pages as every real stack serves them, whatever serves them: the
application behind a gate (``realstack/patients_app.py``, Starlette) and the one with its own
sessions (``realstack/django_spico``, Django). Framework-free: HTML in, HTML out.

The patients are the simulator's Faker data (``simulator/seed.py``), listed and read by the
simulator's own queries (``simulator/spico/patients.py``). Only the screen half of the
2-hour rule is the page's: after the given idle seconds with no click or key, a script
(setTimeout, so a browser with a faked clock drives it) replaces the page with
``/session-terminee``, a public page that shows no patient and starts no sign-in.
"""

from __future__ import annotations

import html
import json
import sqlite3
from dataclasses import dataclass
from datetime import date

from simulator import catalog, db, seed
from simulator.accounts import Accounts
from simulator.spico import patients

SEED = 20240411
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


@dataclass(frozen=True)
class Page:
    """A page's content before it has a header: with patient data (``data``), the screen's
    inactivity timer comes with it."""

    title: str
    main: str
    status: int = 200
    data: bool = True


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


class Patients:
    """The simulator's patients, seeded in memory (the same ``count`` patients every time),
    as pages."""

    def __init__(self, count: int) -> None:
        self._conn = db.connect(":memory:")
        seed.seed_if_empty(self._conn, Accounts(self._conn), count, SEED)
        self._professionals = seed.professionals(SEED)

    def listing(self, params: dict[str, str]) -> Page:
        """The list and its search form (``?sexe=F``); 400 for an invalid search."""
        search = patients.parse(params, self._professionals)
        rows, total = patients.run(self._conn, search) if search.valid else ([], 0)
        error = search.errors.get("sexe")
        main = LIST.format(
            options=_options(search.values["sexe"]),
            error=f'  <span role="alert">{html.escape(error)}</span>' if error else "",
            total=total,
            rows="\n".join(_row(p) for p in rows),
        )
        return Page("SPICO — Liste des patients", main, 200 if search.valid else 400)

    def record(self, patient_id: int) -> Page:
        patient = patients.get(self._conn, patient_id)
        if patient is None:
            return Page("SPICO — Patient introuvable", NOT_FOUND, 404, data=False)
        main = RECORD.format(
            name=_name(patient),
            birth=_french(patient["birth_date"]),
            sex=html.escape(patient["sex"]),
            status=html.escape(patient["status"]),
            updated=_french(patient["updated_at"]),
        )
        return Page(f"SPICO — {_name(patient)}", main)


def idle_script(seconds: int) -> str:
    """The screen's inactivity timer, to ``/session-terminee`` after ``seconds``."""
    delay = min(max(seconds, 0) * 1000, MAX_TIMEOUT_MS)
    return IDLE_SCRIPT % {"delay": delay, "ended": json.dumps(ENDED_PATH)}


def signed_in(page: Page, user: str, logout_url: str, idle_seconds: int) -> str:
    """A page of a signed-in user: the header with their menu ("Menu utilisateur" → "Se
    déconnecter"); with patient data, the screen's inactivity timer too."""
    header = HEADER.format(user=html.escape(user), logout=html.escape(logout_url))
    scripts = MENU_SCRIPT + ("\n" + idle_script(idle_seconds) if page.data else "")
    return PAGE.format(title=page.title, header=header, main=page.main, scripts=scripts)


def session_ended() -> str:
    """Public: no patient, no menu, a way back in."""
    return PAGE.format(title="SPICO — Session terminée", header="", main=ENDED, scripts="")
