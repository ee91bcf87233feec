"""A professional in front of a browser: the state a web scenario carries between steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Frame, Page

from fixtures.clocked_browser import ClockedBrowser
from fixtures.codes import CodeReader
from fixtures.control import Account
from fixtures.session_replay import SessionReplay
from fixtures.target import Target

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
    visited: list[str] = field(default_factory=list)
    remembered: dict[str, dict[str, str]] = field(default_factory=dict)
    #: The cookies as they were just before the last sign-in, by (name, domain, path).
    before_sign_in: dict[tuple[str, str, str], str] | None = None
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
        page.on("framenavigated", lambda frame: self._record(frame.url, frame))

    @property
    def clocked(self) -> ClockedBrowser:
        """The browser of the current page, as idle time moves it."""
        return self._clocked[self.page.context]

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

    def cookies(self, origin: str) -> dict[str, str]:
        return {c["name"]: c["value"] for c in self.page.context.cookies(origin)}

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
            spico + "/patients", self.remembered[spico], spico, patient_data_shown
        )

    def pass_serves_kiosk(self) -> bool:
        """The remembered PASS cookies, replayed likewise, open the kiosk of services."""
        pass_ = self.target.pass_url
        return self.replay.honoured(pass_ + "/kiosque", self.remembered[pass_], pass_, kiosk_shown)

    def _record(self, url: str, frame: Frame) -> None:
        if frame == frame.page.main_frame:
            self.visited.append(url)

    def open_spico(self, path: str = "/patients") -> None:
        self.page.goto(self.target.spico_url + path)

    def open_pass(self) -> None:
        self.page.goto(self.target.pass_url + "/")

    def authenticate(self, channel: str = "e-mail") -> None:
        """On PASS's login page: credentials, then a one-time code by the chosen channel."""
        self.before_sign_in = {_key(c): c["value"] for c in self.all_cookies()}
        PassLoginPage(self.page).sign_in(self.account.identifier, self.account.password)
        self.request_code(channel)
        PassCodePage(self.page).enter(self.codes.latest(channel, self.account))

    def request_code(self, channel: str) -> None:
        """Ask PASS for a code by ``channel``, noting first what the inbox already holds."""
        self.codes.requested(channel, self.account)
        PassCodePage(self.page).choose(channel)

    def mark(self) -> int:
        """A point in the browsing history, to ask later what was visited since."""
        return len(self.visited)

    def saw_pass_login_since(self, mark: int) -> bool:
        pass_host = urlsplit(self.target.pass_url).netloc
        return any(
            urlsplit(url).netloc == pass_host and urlsplit(url).path == "/connexion"
            for url in self.visited[mark:]
        )


def patient_data_shown(page: Page) -> bool:
    return SpicoPage(page).shows_patient_data()


def kiosk_shown(page: Page) -> bool:
    return KioskPage(page).is_shown()


def _key(cookie: dict) -> tuple[str, str, str]:
    return cookie["name"], cookie["domain"], cookie["path"]
