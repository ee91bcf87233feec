"""SPICO's gate = Apache 2.4 + mod_auth_openidc as Debian ships them, in front of the patient
application, configured from one file of the run folder (``apache2 -X -f``).

The session logic is mod_auth_openidc's: its session cookie, its inactivity timeout (7200 s),
its logout (``OIDCRedirectURI?logout=…``) and front-channel logout (``?logout=get``). One page
goes through without it: ``/session-terminee``, where the screen's inactivity timer leads (an
expired gate there would sign the browser in again through PASS, silently).
``--apache "DIRECTIVE ARGS"`` adds any directive to the protected location; one Apache does
not allow there (server-wide ones such as OIDCSessionInactivityTimeout) goes to the virtual
host instead, after the defaults, so it wins either way.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

APACHE = Path("/usr/sbin/apache2")
MODULES = Path("/usr/lib/apache2/modules")
LOADED = (
    "mpm_event",
    "authn_core",
    "authz_core",
    "authz_user",
    "auth_openidc",
    "dir",
    "mime",
    "headers",
    "ssl",
    "socache_shmcb",
    "proxy",
    "proxy_http",
)
REDIRECT_PATH = "/redirect_uri"
#: The gate's OIDCSessionInactivityTimeout: the guide's 2 hours.
INACTIVITY_SECONDS = 7200
#: The public page the screen's inactivity timer goes to (realstack/patients_app.py).
PUBLIC_PATH = "/session-terminee"


@dataclass(frozen=True)
class Gate:
    folder: Path
    port: int
    host: str
    home: str
    issuer: str
    client_id: str
    client_secret: str
    passphrase: str
    ca: Path
    cert: Path
    key: Path
    app_port: int
    user: str | None


def redirect_uri(home: str) -> str:
    return home.rstrip("/") + REDIRECT_PATH


def config(gate: Gate, in_location: list[str], in_host: list[str]) -> str:
    modules = "\n".join(f"LoadModule {m}_module {MODULES}/mod_{m}.so" for m in LOADED)
    user = f"User {gate.user}\nGroup {gate.user}" if gate.user else ""
    location = "\n".join(f"    {line}" for line in in_location)
    host = "\n".join(f"  {line}" for line in in_host)
    return f"""# Porte de SPICO (pile de référence) : Apache + mod_auth_openidc
ServerRoot {gate.folder}
ServerName {gate.host}
DefaultRuntimeDir {gate.folder}
PidFile {gate.folder / "apache2.pid"}
Mutex file:{gate.folder} default
{modules}
{user}
Listen 127.0.0.1:{gate.port}
TypesConfig /etc/mime.types
ErrorLog {gate.folder / "erreurs.log"}
LogLevel warn auth_openidc:info
LogFormat "%h %t \\"%r\\" %>s %b" court
CustomLog {gate.folder / "acces.log"} court
SSLSessionCache shmcb:{gate.folder / "ssl_cache"}(512000)

<VirtualHost 127.0.0.1:{gate.port}>
  ServerName {gate.host}
  SSLEngine on
  SSLCertificateFile {gate.cert}
  SSLCertificateKeyFile {gate.key}

  OIDCProviderMetadataURL {gate.issuer}/.well-known/openid-configuration
  OIDCCABundlePath {gate.ca}
  OIDCClientID {gate.client_id}
  OIDCClientSecret {gate.client_secret}
  OIDCRedirectURI {redirect_uri(gate.home)}
  OIDCCryptoPassphrase {gate.passphrase}
  OIDCScope "openid email profile"
  OIDCRemoteUserClaim sub
  OIDCSessionInactivityTimeout {INACTIVITY_SECONDS}
  # SameSite=Lax on the session cookie: PASS and SPICO are one site, so the front-channel
  # logout's frame still carries it
  OIDCCookieSameSite On
  OIDCCacheType shm
  OIDCDefaultLoggedOutURL {gate.home}
{host}

  <Location />
    AuthType openid-connect
    Require valid-user
    RequestHeader set X-Remote-User "%{{REMOTE_USER}}s"
    ProxyPass http://127.0.0.1:{gate.app_port}/
    ProxyPassReverse http://127.0.0.1:{gate.app_port}/
{location}
  </Location>

  # after <Location />, so it wins: no session needed, none started
  <Location {PUBLIC_PATH}>
    AuthType None
    Require all granted
  </Location>
</VirtualHost>
"""


def write(gate: Gate, overrides: list[str], env: dict[str, str]) -> Path:
    """Write the configuration; each override goes to the location if Apache takes it there,
    else to the virtual host. Raises ValueError (French) for a directive Apache refuses."""
    path = gate.folder / "apache2.conf"
    in_location, in_host = list(overrides), []
    for _ in range(len(overrides) + 1):
        text = config(gate, in_location, in_host)
        path.write_text(text)
        if not overrides:
            return path  # the stack's own configuration: no need to check it each time
        check = subprocess.run(
            [str(APACHE), "-t", "-f", str(path)], capture_output=True, text=True, env=env
        )
        if check.returncode == 0:
            return path
        why = " ".join(check.stderr.split())
        wrong = _refused(why, text, in_location)
        if wrong is None or "not allowed" not in why:
            raise ValueError(f"Apache refuse la configuration de la porte : {why[-400:]}")
        in_location.remove(wrong)
        in_host.append(wrong)
    raise ValueError("Apache refuse la configuration de la porte")


def _refused(why: str, text: str, candidates: list[str]) -> str | None:
    """The override on the line Apache's syntax error names, if it is one."""
    match = re.search(r"Syntax error on line (\d+)", why)
    if not match:
        return None
    line = text.splitlines()[int(match.group(1)) - 1].strip()
    return next((c for c in candidates if c.strip() == line), None)
