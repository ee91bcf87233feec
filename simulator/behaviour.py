"""How the simulator behaves, as one frozen object: the rules the views and the pages' scripts
follow. Its defaults are the user guide's (the compliant build); each fault of ``faults.py``
is a bent copy of it, so no view ever asks which fault is on.

Each rule names the requirement it serves; the control API reports the rules in force.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

HOUR = 3600
#: The guide's promise: 2 hours of inactivity end a SPICO session.
GUIDE_IDLE_SECONDS = 2 * HOUR
#: PASS's own inactivity policy (not the guide's: the portal's).
PASS_IDLE_SECONDS = 4 * HOUR


@dataclass(frozen=True)
class Behaviour:
    # EXI-WEB-INACTIVITE: the server ends an idle SPICO session (``None``: never), and the
    # page counts the same delay down, asks the server, and removes patient data.
    spico_idle_seconds: int | None = GUIDE_IDLE_SECONDS
    screen_idle_seconds: int = GUIDE_IDLE_SECONDS
    screen_asks_server: bool = True
    #: PASS's own inactivity policy.
    pass_idle_seconds: int = PASS_IDLE_SECONDS
    # BP-SANS-MAINTIEN: the page's background polling is not user activity.
    poll_seconds: int = 300
    polling_is_activity: bool = False
    # EXI-WEB-FERMETURE, BP-COOKIES: session cookies die with the browser, out of scripts' reach.
    spico_cookie_max_age: int | None = None
    spico_cookie_httponly: bool = True
    spico_cookie_samesite: str | None = "lax"
    pass_cookie_max_age: int | None = None
    # EXI-WEB-DECONNEXION: logging out ends the session on the server, not just the cookie.
    spico_logout_ends_session: bool = True
    pass_logout_ends_session: bool = True
    # BP-PROPAGATION-SSO: PASS tells SPICO when a PASS session ends.
    backchannel_logout: bool = True
    # BP-RETOUR-ARRIERE: pages with patient data are never kept by the browser.
    patient_pages_cache_control: str = "no-store"
    # BP-ID-ROTATION: signing in gives a new session identifier.
    rotate_session_id: bool = True
    # BP-LIEN-DECONNEXION: every page has a logout control, the patient record too.
    logout_on_record_page: bool = True
    # BP-OTP: a one-time code works once.
    codes_single_use: bool = True
    # EXI-MOB-ACTIVATION: activating the app takes a one-time code.
    activation_needs_code: bool = True
    # EXI-MOB-VERROUILLAGE: a closed app comes back locked; biometrics must recognise the user.
    app_locks_when_closed: bool = True
    biometrics_must_recognise: bool = True
    #: The app's unlocked session on the server.
    app_idle_seconds: int = GUIDE_IDLE_SECONDS
    # EXI-MOB-REINITIALISATION: a reset wipes the phone and revokes the device.
    reset_wipes_phone: bool = True
    reset_revokes_device: bool = True
    # BP-PIN-ESSAIS: wrong PINs past this many revoke the device (``None``: no limit).
    pin_attempts: int | None = 3

    @classmethod
    def compliant(cls, spico_idle: int, pass_idle: int) -> Behaviour:
        """The guide's rules with SPICO's idle timeout set to ``spico_idle`` everywhere it
        applies (the server, the page's countdown, the app's session) and PASS's to
        ``pass_idle``: ``--spico-idle`` and ``--pass-idle`` set nothing else."""
        return cls(
            spico_idle_seconds=spico_idle,
            screen_idle_seconds=spico_idle,
            app_idle_seconds=spico_idle,
            pass_idle_seconds=pass_idle,
        )

    def spico_page_script(self, csrf: str) -> dict:
        """What ``static/spico.js`` is told, in the page."""
        return {
            "delai": self.screen_idle_seconds,
            "verifie": self.screen_asks_server,
            "interrogation": self.poll_seconds,
            "csrf": csrf,
        }

    def app_script(self) -> dict:
        """What ``static/mobile.js`` is told: the rules that live on the phone."""
        return {
            "verrouille_a_la_fermeture": self.app_locks_when_closed,
            "efface_le_telephone": self.reset_wipes_phone,
        }

    def rules(self) -> dict:
        return asdict(self)
