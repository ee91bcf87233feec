"""SPICO's gate = Apache 2.4 as Debian ships it, with one authentication module
(mod_auth_openidc, ``realstack/oidc.py``; mod_auth_mellon, ``realstack/mellon.py``), in front
of the patient application, configured from one file of the run folder (``apache2 -X -f``).

The session logic is the module's: its session cookie, its inactivity timeout, its logout.
One page goes through without it: ``/session-terminee``, where the screen's inactivity timer
leads (an expired gate there would sign the browser in again through PASS, silently).
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

from .base import Context
from .servers import StackError, https_get

APACHE = Path("/usr/sbin/apache2")
MODULES = Path("/usr/lib/apache2/modules")
LOADED = (
    "mpm_event",
    "authn_core",
    "authz_core",
    "authz_user",
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
        # mod_auth_mellon's files: keys, certificates, metadata, lock, saved forms, diagnostics
        "MellonSPPrivateKeyFile",
        "MellonSPCertFile",
        "MellonSPMetadataFile",
        "MellonIdPMetadataFile",
        "MellonIdPMetadataGlob",
        "MellonIdPPublicKeyFile",
        "MellonIdPCAFile",
        "MellonLockFile",
        "MellonPostDirectory",
        "MellonDiagnosticsFile",
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
#: The public page the screen's inactivity timer goes to (realstack/patients_app.py).
PUBLIC_PATH = "/session-terminee"


@dataclass(frozen=True)
class Site:
    """What every gate is: an HTTPS virtual host in front of the patient application."""

    folder: Path
    port: int
    host: str
    cert: Path
    key: Path
    app_port: int
    user: str | None


@dataclass(frozen=True)
class Module:
    """One authentication module's part of the gate: the module (``mod_NAME``), its lines
    for the whole server, for the virtual host and for the protected location (which then
    requires a valid user), and what the public page needs so that it starts no session."""

    name: str
    server: tuple[str, ...] = ()
    host: tuple[str, ...] = ()
    location: tuple[str, ...] = ()
    public: tuple[str, ...] = ()


def _lines(indent: str, lines) -> str:
    return "".join(f"{indent}{line}\n" for line in lines)


def config(site: Site, module: Module, in_location: list[str], in_host: list[str]) -> str:
    modules = "\n".join(
        f"LoadModule {m}_module {MODULES}/mod_{m}.so" for m in (*LOADED, module.name)
    )
    user = f"User {site.user}\nGroup {site.user}" if site.user else ""
    return f"""# Porte de SPICO : Apache + mod_{module.name}
ServerRoot {site.folder}
ServerName {site.host}
DefaultRuntimeDir {site.folder}
PidFile {site.folder / "apache2.pid"}
Mutex file:{site.folder} default
{modules}
{user}
Listen 127.0.0.1:{site.port}
TypesConfig /etc/mime.types
ErrorLog {site.folder / "erreurs.log"}
LogLevel warn {module.name}:info
LogFormat "%h %t \\"%r\\" %>s %b" court
CustomLog {site.folder / "acces.log"} court
SSLSessionCache shmcb:{site.folder / "ssl_cache"}(512000)
{_lines("", module.server)}
<VirtualHost 127.0.0.1:{site.port}>
  ServerName {site.host}
  SSLEngine on
  SSLCertificateFile {site.cert}
  SSLCertificateKeyFile {site.key}

{_lines("  ", [*module.host, *in_host])}
  <Location />
{_lines("    ", module.location)}\
    Require valid-user
    RequestHeader set X-Remote-User "%{{REMOTE_USER}}s"
    ProxyPass http://127.0.0.1:{site.app_port}/
    ProxyPassReverse http://127.0.0.1:{site.app_port}/
{_lines("    ", in_location)}\
  </Location>

  # after <Location />, so it wins: no session needed, none started
  <Location {PUBLIC_PATH}>
    AuthType None
    Require all granted
{_lines("    ", module.public)}\
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


def write(site: Site, module: Module, overrides: list[str], env: dict[str, str]) -> Path:
    """Write the configuration; each override goes to the location if Apache takes it there,
    else to the virtual host. Raises ValueError (French) for a directive Apache refuses."""
    path = site.folder / "apache2.conf"
    in_location, in_host = list(overrides), []
    while True:
        text = config(site, module, in_location, in_host)
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


def start(context: Context, module: Module, app_port: int) -> None:
    """The gate in front of the application on ``app_port``, started under the stack's
    clock (not its host names: Apache given nss_wrapper binds its port twice and stops),
    until it sends a browser without a session to PASS."""
    folder = context.folder / "apache"
    folder.mkdir()
    site = Site(
        folder,
        context.spico_port,
        context.spico_host,
        context.tls.cert,
        context.tls.key,
        app_port,
        context.user,
    )
    try:
        conf = write(site, module, list(context.changes.apache), context.env)
    except ValueError as exc:
        raise StackError(str(exc)) from None
    context.servers.start(
        "la porte SPICO (apache2)",
        [str(APACHE), "-X", "-f", str(conf), "-DFOREGROUND"],
        folder / "sortie.log",
        context.env,
    )

    def sends_to_pass() -> bool:
        """Through the gate's own redirects (mellon's login endpoint), to PASS."""
        path = "/"
        for _ in range(3):
            answer = https_get(context.client, context.spico_port, context.spico_host, path)
            location = answer.headers.get("location", "")
            if not location.startswith(context.spico_url):
                return location.startswith(context.pass_url)
            path = location.removeprefix(context.spico_url.rstrip("/"))
        return False

    context.servers.wait(
        f"la porte SPICO (Apache mod_{module.name})", sends_to_pass, folder / "erreurs.log"
    )


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
