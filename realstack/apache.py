"""SPICO's gate = Apache 2.4 + mod_auth_openidc as Debian ships them, in front of the patient
application, configured from one file of the run folder (``apache2 -X -f``).

The session logic is mod_auth_openidc's: its session cookie, its inactivity timeout (7200 s),
its logout (``OIDCRedirectURI?logout=…``) and front-channel logout (``?logout=get``). One page
goes through without it: ``/session-terminee``, where the screen's inactivity timer leads (an
expired gate there would sign the browser in again through PASS, silently).
``--apache "DIRECTIVE ARGS"`` adds a directive to the protected location; one Apache does
not allow there (server-wide ones such as OIDCSessionInactivityTimeout) goes to the virtual
host instead, after the defaults, so it wins either way. It is for the gate's own settings:
one line, no section, and none of the directives or values that read another file, run a
program or load code (``check_directive``), so no other file's content can reach Apache's
errors, the gate's pages or the terminal.
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
#: What ``--apache`` refuses (Apache's names are case-insensitive): directives that read
#: another file (whose content Apache's errors or the gate's pages could then show), run a
#: program, load code, or move where the server reads and writes its own files.
FORBIDDEN = frozenset(
    name.lower()
    for name in (
        # another file read as configuration; code loaded
        "Include",
        "IncludeOptional",
        "LoadModule",
        "LoadFile",
        # where the server reads, serves and writes its files
        "ServerRoot",
        "DocumentRoot",
        "DefaultRuntimeDir",
        "PidFile",
        "Mutex",
        "ScoreBoardFile",
        "CoreDumpDirectory",
        "ChrootDir",
        "TypesConfig",
        # logs: a path writes anywhere, "|command" runs a program
        "ErrorLog",
        "CustomLog",
        "TransferLog",
        "GlobalLog",
        # mod_auth_openidc's files: keys, certificates, metadata, cache, error page
        "OIDCHTMLErrorTemplate",
        "OIDCPublicKeyFiles",
        "OIDCPrivateKeyFiles",
        "OIDCProviderVerifyCertFiles",
        "OIDCOAuthVerifyCertFiles",
        "OIDCClientTokenEndpointCert",
        "OIDCClientTokenEndpointKey",
        "OIDCOAuthIntrospectionEndpointCert",
        "OIDCOAuthIntrospectionEndpointKey",
        "OIDCMetadataDir",
        "OIDCCacheDir",
        "OIDCCABundlePath",
        # mod_ssl's files, its programs (exec:) and engines
        "SSLCertificateFile",
        "SSLCertificateKeyFile",
        "SSLCertificateChainFile",
        "SSLCACertificateFile",
        "SSLCACertificatePath",
        "SSLCADNRequestFile",
        "SSLCADNRequestPath",
        "SSLCARevocationFile",
        "SSLCARevocationPath",
        "SSLSessionTicketKeyFile",
        "SSLSRPVerifierFile",
        "SSLProxyCACertificateFile",
        "SSLProxyCACertificatePath",
        "SSLProxyCARevocationFile",
        "SSLProxyCARevocationPath",
        "SSLProxyMachineCertificateFile",
        "SSLProxyMachineCertificatePath",
        "SSLProxyMachineCertificateChainFile",
        "SSLOCSPResponderCertificateFile",
        "SSLPassPhraseDialog",
        "SSLRandomSeed",
        "SSLCryptoDevice",
        "SSLOpenSSLConfCmd",
        "SSLSessionCache",
        "SSLStaplingCache",
    )
)
#: Values that read a file (a file: URL, Apache expressions' file() and %{file:…}) or run
#: a program (exec:, as mod_auth_openidc and mod_ssl take it), whatever the directive.
_READS_OR_RUNS = re.compile(r"\bfile\s*[:(]|(^|\s)[\"']?exec:", re.IGNORECASE)
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
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


def check_directive(text: str) -> str:
    """``text`` if ``--apache`` may add it: one directive on one line, for the gate itself.
    Raises ValueError (French) otherwise."""
    if not text.strip():
        raise ValueError("directive vide (attendu : 'DIRECTIVE ARGUMENTS')")
    if any(not c.isprintable() and c != "\t" for c in text) or text.rstrip().endswith("\\"):
        raise ValueError("une directive tient sur une ligne (ni retour à la ligne ni « \\ » final)")
    name, *arguments = text.split(None, 1)
    if name.startswith("<"):
        raise ValueError("une section (<Location>, <If>…) ne tient pas sur une ligne")
    if not _NAME.fullmatch(name):
        raise ValueError(f"« {name} » n'est pas un nom de directive Apache")
    if name.lower() in FORBIDDEN or _READS_OR_RUNS.search("".join(arguments)):
        raise ValueError(
            "directive refusée, elle lirait un autre fichier, lancerait un programme ou"
            " chargerait du code (--apache règle la porte elle-même)"
        )
    return text


def write(gate: Gate, overrides: list[str], env: dict[str, str]) -> Path:
    """Write the configuration; each override goes to the location if Apache takes it there,
    else to the virtual host. Raises ValueError (French) for a directive Apache refuses."""
    path = gate.folder / "apache2.conf"
    in_location, in_host = list(overrides), []
    while True:
        text = config(gate, in_location, in_host)
        path.write_text(text)
        if not overrides:
            return path  # the stack's own configuration: no need to check it each time
        check = subprocess.run(
            [str(APACHE), "-t", "-f", str(path)], capture_output=True, text=True, env=env
        )
        if check.returncode == 0:
            return path
        wrong, why = _refused(check.stderr, path, text, overrides)
        if wrong is None:
            codes = ", ".join(dict.fromkeys(re.findall(r"AH\d{5}", check.stderr))) or "?"
            raise ValueError(f"Apache refuse la configuration de la porte ({codes})")
        if wrong not in in_location or "not allowed" not in why:
            raise ValueError(f"Apache refuse « {wrong} » : {why}")
        in_location.remove(wrong)
        in_host.append(wrong)


def _refused(stderr: str, path: Path, text: str, overrides: list[str]) -> tuple[str | None, str]:
    """The override on the line of the gate's file Apache's syntax error names, and Apache's
    reason; (None, "") for any other error: only what the gate's own file holds is shown,
    never a line another file could have put in Apache's message."""
    match = re.search(rf"Syntax error on line (\d+) of {re.escape(str(path))}:\s*(.*)", stderr)
    if not match:
        return None, ""
    line = text.splitlines()[int(match.group(1)) - 1].strip()
    wrong = next((o for o in overrides if o.strip() == line), None)
    return wrong, " ".join(match.group(2).split())[:300]
