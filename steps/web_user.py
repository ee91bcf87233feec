"""A professional in front of a browser: the state a web scenario carries between steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from playwright.sync_api import BrowserContext, Page

from audit.scenario_record import Fact
from fixtures.channels import CHANNELS
from fixtures.clocked_browser import ClockedBrowser
from fixtures.codes import CodeReader
from fixtures.control import Account
from fixtures.profile import Flows
from fixtures.session_replay import Cookies, SessionReplay
from fixtures.target import Target

from .labels import label
from .pages.controls import click_through, control
from .pages.pass_portal import KioskPage, PassCodePage, PassLoginPage
from .pages.spico import SpicoPage

ACTION_TIMEOUT_MS = 10_000


@dataclass
class WebUser:
    page: Page
    account: Account
    target: Target
    codes: CodeReader
    replay: SessionReplay
    #: The cookies kept to replay, by origin (shown by fingerprint).
    remembered: dict[str, Cookies] = field(default_factory=dict)
    #: The cookies' values as they were just before the last sign-in, by (name, domain,
    #: path); out of the repr, which failures print.
    before_sign_in: dict[tuple[str, str, str], str] | None = field(default=None, repr=False)
    _clocked: dict[BrowserContext, ClockedBrowser] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.use(self.page)

    def use(self, page: Page) -> None:
        """Continue the scenario in this page (a new tab, a relaunched browser)."""
        self.page = page
        # A missing button should fail the scenario in seconds, not Playwright's 30.
        page.context.set_default_timeout(ACTION_TIMEOUT_MS)
        if page.context not in self._clocked:
            # Before any page loads, or idle time cannot be simulated. One clock per context.
            self._clocked[page.context] = ClockedBrowser(page.context)

    @property
    def clocked(self) -> ClockedBrowser:
        """The browser of the current page, as idle time moves it."""
        return self._clocked[self.page.context]

    @property
    def flows(self) -> Flows:
        return self.target.flows

    def settle(self) -> None:
        """Until what the pages asked has been answered (a logout's last redirect, say)."""
        self.clocked.settle()

    @property
    def https(self) -> bool:
        return self.target.spico_url.startswith("https://")

    def all_cookies(self) -> list[dict]:
        """Every cookie SPICO and PASS have given the browser, with its attributes."""
        return self.page.context.cookies([self.target.spico_url, self.target.pass_url])

    def session_cookies(self) -> list[dict]:
        """The cookies that carry the sessions: those that appeared or changed when the
        professional signed in. A language or load-balancer cookie set before is not one."""
        if self.before_sign_in is None:
            return self.all_cookies()
        return [c for c in self.all_cookies() if self.before_sign_in.get(_key(c)) != c["value"]]

    def unjudged_cookies(self) -> list[str]:
        """The cookies the cookie checks leave aside: set before the sign-in, unchanged."""
        judged = {_key(c) for c in self.session_cookies()}
        return sorted({c["name"] for c in self.all_cookies() if _key(c) not in judged})

    def cookie_table(self) -> Fact:
        """Every cookie of SPICO and PASS with the attributes the cookie checks judge, and
        whether it carries the session (set or changed at sign-in) or was there before."""
        judged = {_key(c) for c in self.session_cookies()}
        rows = [
            [
                c["name"],
                c["domain"],
                c["path"],
                "session" if c["expires"] == -1 else f"persistant, expire le {_date(c['expires'])}",
                _yes(c["httpOnly"]),
                _yes(c["secure"]),
                c.get("sameSite") or "absent",
                "à la connexion" if _key(c) in judged else "avant la connexion (non jugé)",
            ]
            for c in sorted(self.all_cookies(), key=_key)
        ]
        return Fact(
            kind="cookies",
            title=f"Cookies de SPICO et du PASS après la connexion : {len(rows)}",
            columns=[
                "Nom",
                "Domaine",
                "Chemin",
                "Durée",
                "HttpOnly",
                "Secure",
                "SameSite",
                "Posé",
            ],
            rows=rows,
        )

    def cookies(self, origin: str) -> Cookies:
        return Cookies({c["name"]: c["value"] for c in self.page.context.cookies(origin)})

    def remember_session(self) -> None:
        """Keep the browser's cookies as they are now, to replay them later (after a logout,
        the browser itself no longer holds them)."""
        self.remembered = {
            origin: self.cookies(origin) for origin in (self.target.spico_url, self.target.pass_url)
        }

    def spico_serves_patients(self) -> bool:
        """The remembered SPICO cookies, replayed in a browser of their own, open the
        patient list (rather than PASS's sign-in)."""
        spico = self.target.spico_url
        return self.replay.honoured(
            spico + self.flows.patient_list, self.remembered[spico], spico, patient_data_shown
        )

    def pass_serves_kiosk(self) -> bool:
        """The remembered PASS cookies, replayed likewise, open the kiosk of services."""
        pass_ = self.target.pass_url
        kiosk = pass_ + self.flows.kiosk
        return self.replay.honoured(kiosk, self.remembered[pass_], pass_, kiosk_shown)

    def open_spico(self, path: str | None = None) -> None:
        """SPICO at ``path``, by default its patient list."""
        self.page.goto(self.target.spico_url + (path or self.flows.patient_list))

    def open_filtered_list(self, sexe: str) -> None:
        self.open_spico(self.flows.filtered_list.format(sexe=sexe))

    def open_pass(self) -> None:
        """PASS's kiosk of services, or its sign-in without a session."""
        self.page.goto(self.target.pass_url + self.flows.kiosk)

    @property
    def any_channel(self) -> str:
        """A channel whose codes the suite can read, e-mail first: for the scenarios where
        the channel is not what is audited."""
        found = (c.spoken for c in CHANNELS.values() if c.key in self.target.codes)
        return next(found, "e-mail")

    def authenticate(self, channel: str = "e-mail") -> None:
        """On PASS's login page: credentials, then a one-time code by the chosen channel."""
        self.before_sign_in = {_key(c): c["value"] for c in self.all_cookies()}
        self.sign_in_until_code(channel)
        PassCodePage(self.page).enter(self.codes.latest(channel, self.account))
        self.settle()  # where PASS lands, and what its page does there (a form it posts)

    def sign_in_until_code(self, channel: str) -> None:
        """Credentials, then whatever makes PASS send a code by ``channel`` (a choice of
        channel, or nothing where the password alone sends it), the inbox noted before."""
        self.codes.requested(channel, self.account)
        PassLoginPage(self.page).sign_in(self.account)
        if self.flows.channel_choice:
            PassCodePage(self.page).choose(channel)

    def log_out_of_spico(self) -> None:
        SpicoPage(self.page).log_out(self.flows.spico_logout, self.settle)

    def log_out_of_pass(self) -> bool:
        """From where SPICO's logout left the browser; False when there was nothing left to
        do: SPICO's logout had already ended PASS's session (a single logout, as SAML's and
        CAS's service providers may start), which PASS's server itself says when the
        remembered cookies no longer open its kiosk."""
        self.page.wait_for_load_state()
        first = control(self.page, label(self.flows.pass_logout[0], "pass"))
        ended = self.target.pass_url in self.remembered and not self.pass_serves_kiosk()
        if first.count() == 0 and ended:
            return False
        click_through(self.page, self.flows.pass_logout, "pass", self.settle)
        return True

    def log_out_from_kiosk(self) -> None:
        KioskPage(self.page).log_out(self.flows.kiosk_logout, self.settle)


def patient_data_shown(page: Page) -> bool:
    return SpicoPage(page).shows_patient_data()


def kiosk_shown(page: Page) -> bool:
    return KioskPage(page).is_shown()


def _yes(flag: bool) -> str:
    return "oui" if flag else "non"


def _date(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).astimezone().strftime("%d/%m/%Y %H:%M")


def _key(cookie: dict) -> tuple[str, str, str]:
    return cookie["name"], cookie["domain"], cookie["path"]
