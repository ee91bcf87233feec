"""PASS = LemonLDAP::NG 2.16 as Debian ships it: its FastCGI portal behind nginx, configured
from a JSON file of the run folder (never /etc, never /var/lib).

The configuration starts from the package's own demo configuration and turns on what PASS
is for SPICO: its accounts in a SQLite database of the run folder, read by LemonLDAP::NG's DBI
back-end (``ACCOUNTS``: as many as the parallel processes of a real-time audit need, each
signing in with its own), the OpenID Connect provider with SPICO as relying party, the menu as
the kiosk with a SPICO tile,
4 hours of inactivity (the simulator's PASS default), and the one-time code by e-mail (Mail2F)
or by SMS (External 2F, to the stack's SMS gateway), the user choosing on LemonLDAP::NG's
2F choice page. LemonLDAP::NG generates and checks both codes (6 digits); each lives as long
as its 2F token: sfLoginTimeout, unset, so formTimeout, 120 s by default (mail2fTimeout first
for Mail2F, unset too).
``--llng KEY=VALUE`` then sets any configuration key
(``a/b/c=...`` for a nested one), so an audit can bend PASS without this file knowing how.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import sqlite3
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

DEBIAN_CONF = Path("/var/lib/lemonldap-ng/conf/lmConf-1.json")
FASTCGI_SERVER = Path("/usr/sbin/llng-fastcgi-server")
PORTAL_HTDOCS = Path("/usr/share/lemonldap-ng/portal/htdocs")
TEMPLATES = Path("/usr/share/lemonldap-ng/portal/templates")
#: PASS's accounts: login (also the password), name. The first three are the package's own
#: demo accounts; twelve in all let as many scenarios wait side by side in a real-time audit.
ACCOUNTS = (
    ("dwho", "Doctor Who"),
    ("rtyler", "Rose Tyler"),
    ("msmith", "Mickey Smith"),
    ("mjones", "Martha Jones"),
    ("dnoble", "Donna Noble"),
    ("apond", "Amy Pond"),
    ("rwilliams", "Rory Williams"),
    ("coswald", "Clara Oswald"),
    ("bpotts", "Bill Potts"),
    ("ykhan", "Yasmin Khan"),
    ("rsinclair", "Ryan Sinclair"),
    ("gobrien", "Graham O'Brien"),
)
#: Where the accounts live: the table LemonLDAP::NG's DBI back-end reads.
USERS_FILE = "comptes.sqlite"
MAIL_DOMAIN = "esante-occitanie.localhost"
#: The 2F choice page's buttons (2fchoice.tpl: the label in each button's h4).
MAIL_LABEL, SMS_LABEL = "Par e-mail", "Par SMS"
#: The code both factors generate (Lib/Code2F.pm: String::Random's randregex).
CODE_REGEX = r"\d{6}"
CLIENT_ID = "spico"
#: PASS's inactivity timeout (timeoutActivity), the simulator's default: 4 hours.
INACTIVITY_SECONDS = 14400
#: How long a one-time code lives: its 2F token's formTimeout, 120 s by default.
CODE_SECONDS = 120
#: How often activity is written to the session (_lastSeen): once a minute at most.
ACTIVITY_INTERVAL_SECONDS = 60


def email_of(login: str) -> str:
    return f"{login}@{MAIL_DOMAIN}"


def phone_of(login: str) -> str:
    """Each account's mobile number, where its SMS go: +336000000 11, 12…"""
    number = [known for known, _ in ACCOUNTS].index(login) + 11
    return f"+336000000{number:02d}"


def write_users(file: Path) -> None:
    """The accounts' table: login, password (in clear: LemonLDAP::NG compares it as the
    demo back-end did), name, address, mobile number."""
    with contextlib.closing(sqlite3.connect(file)) as db, db:
        db.execute(
            "CREATE TABLE users (uid TEXT PRIMARY KEY, password TEXT, cn TEXT, mail TEXT,"
            " mobile TEXT)"
        )
        db.executemany(
            "INSERT INTO users VALUES (?, ?, ?, ?, ?)",
            [(login, login, name, email_of(login), phone_of(login)) for login, name in ACCOUNTS],
        )


def users_keys(file: Path) -> dict:
    """LemonLDAP::NG's DBI back-end over the accounts' SQLite file, for both who the user is
    and what is known of them; no password change, no self-registration."""
    return {
        "authentication": "DBI",
        "userDB": "Same",
        "passwordDB": "Null",
        "registerDB": "Null",
        "dbiAuthChain": f"dbi:SQLite:dbname={file}",
        "dbiAuthUser": "",
        "dbiAuthPassword": "",
        "dbiAuthTable": "users",
        "dbiAuthLoginCol": "uid",
        "dbiAuthPasswordCol": "password",
        "dbiAuthPasswordHash": "",
        "dbiExportedVars": {"uid": "uid", "cn": "cn", "mail": "mail", "mobile": "mobile"},
    }


def parse_override(text: str) -> tuple[list[str], object]:
    """``KEY=VALUE`` → (path, value): the value is JSON when it reads as JSON (1, {...}),
    otherwise the text itself; ``a/b/c`` names a nested key. Raises ValueError (French) for
    a text that is not one: no ``=``, an empty key or part of one, a value that opens as
    JSON (an object, a list, a string) but is not."""
    key, sep, raw = text.partition("=")
    if not sep:
        raise ValueError("attendu CLÉ=VALEUR (a/b/c=VALEUR pour une clé imbriquée)")
    if not key.isprintable():
        raise ValueError("caractère de contrôle dans la clé")
    path = key.strip().split("/")
    if not all(part.strip() for part in path):
        raise ValueError("clé vide ou incomplète (attendu CLÉ=VALEUR, ou a/b/c=VALEUR)")
    return path, _value(raw)


def _value(raw: str) -> object:
    """JSON when it reads as JSON, else the text; one that opens as JSON must be JSON."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        if raw.lstrip()[:1] in ("{", "[", '"'):
            raise ValueError(
                f"la valeur commence comme du JSON mais n'en est pas (colonne {exc.colno})"
            ) from None
        return raw
    except RecursionError:
        raise ValueError("valeur JSON trop imbriquée") from None


def _set(conf: dict, path: list[str], value: object) -> None:
    for depth, part in enumerate(path[:-1]):
        conf = conf.setdefault(part, {})
        if not isinstance(conf, dict):
            key = "/".join(path[: depth + 1])
            raise ValueError(f"--llng {'/'.join(path)} : « {key} » n'est pas un objet JSON")
    conf[path[-1]] = value


def _signing_key() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def configuration(
    folder: Path,
    portal: str,
    pass_host: str,
    cookie_domain: str,
    spico_home: str,
    ca: Path,
    smtp_port: int,
    sms_command: str,
    protocol: dict,
    idle_seconds: int,
    overrides: list[str],
) -> dict:
    """The portal's configuration (lmConf-1.json), all its storage under ``folder``;
    ``protocol`` holds the keys of the protocol SPICO speaks (``oidc_keys`` or a stack's
    own), ``idle_seconds`` PASS's inactivity timeout, ``overrides`` the ``--llng`` texts,
    applied last."""
    conf = json.loads(DEBIAN_CONF.read_text())
    sessions, psessions = folder / "sessions", folder / "psessions"
    conf.update(
        cfgNum=1,
        cfgAuthor="realstack",
        cfgLog="pile de référence SPICO",
        portal=portal,
        domain=cookie_domain,
        securedCookie=1,
        # said, not left to the defaults: turning on the SAML issuer silently makes the
        # cookie SameSite=None
        sameSite="Lax",
        timeoutActivity=idle_seconds,
        timeoutActivityInterval=ACTIVITY_INTERVAL_SECONDS,
        globalStorageOptions={
            **conf["globalStorageOptions"],
            "Directory": str(sessions),
            "LockDirectory": str(sessions / "lock"),
        },
        persistentStorageOptions={
            "Directory": str(psessions),
            "LockDirectory": str(psessions / "lock"),
        },
        localSessionStorageOptions={
            **conf["localSessionStorageOptions"],
            "cache_root": str(folder / "cache"),
        },
        notificationStorageOptions={"dirName": str(folder / "notifications")},
        locationRules={pass_host: {"default": "accept"}},
        exportedHeaders={},
        reloadUrls={},
        **users_keys(folder / USERS_FILE),
        applicationList={
            "1services": {
                "catname": "Services",
                "type": "category",
                "spico": {
                    "type": "application",
                    "options": {
                        "name": "SPICO",
                        "description": "Coordination des parcours de soins",
                        "uri": spico_home,
                        "logo": "network.png",
                        "display": "on",
                    },
                },
            }
        },
        # Two second factors for everyone (rules "1"), so LemonLDAP::NG asks which one:
        # the code by e-mail (Mail2F, to the stack's SMTP server)…
        mail2fActivation=1,
        mail2fCodeRegex=CODE_REGEX,
        mail2fLabel=MAIL_LABEL,
        # … or by SMS (Ext2F): LemonLDAP::NG generates the code and checks it itself
        # (ext2fCodeActivation, hence no ext2FValidateCommand), the command only sends it
        ext2fActivation=1,
        ext2fCodeActivation=CODE_REGEX,
        ext2FSendCommand=sms_command,
        ext2fLabel=SMS_LABEL,
        SMTPServer="127.0.0.1",
        SMTPPort=smtp_port,
        mailFrom=f"pass@{MAIL_DOMAIN}",
        # its own calls to SPICO (SAML's SOAP logout, CAS's back-channel) trust the stack's
        # CA, and give up rather than hang a worker
        lwpSslOpts={"SSL_ca_file": str(ca)},
        lwpOpts={"timeout": 10},
        # each FastCGI worker otherwise trusts a session it checked for 15 s: a PASS session
        # ended in one worker would still open the kiosk through the other
        handlerInternalCache=0,
        **protocol,
    )
    for text in overrides:
        _set(conf, *parse_override(text))
    return conf


def ini(folder: Path, conf_folder: Path, log_level: str = "info") -> str:
    """lemonldap-ng.ini of the run (LLNG_DEFAULTCONFFILE points to it)."""
    return f"""[all]
logger = Lemonldap::NG::Common::Logger::Std
userLogger = Lemonldap::NG::Common::Logger::Std
logLevel = {log_level}
checkTime = 1

[configuration]
type = File
dirName = {conf_folder}
prettyPrint = 1
localStorage = Cache::FileCache
localStorageOptions = {{ 'namespace' => 'lemonldap-ng-config', \\
    'default_expires_in' => 600, 'directory_umask' => '007', \\
    'cache_root' => '{folder / "cache"}', 'cache_depth' => 3 }}

[portal]
staticPrefix = /static
templateDir = {TEMPLATES}
languages = fr, en

[handler]
status = 0
useRedirectOnError = 1
"""


def nginx_conf(folder: Path, port: int, host: str, socket: Path, cert: Path, key: Path, user):
    """nginx in front of the FastCGI portal, as the package's portal-nginx.conf, over HTTPS."""
    user_line = f"user {user};" if user else ""
    temp = "\n".join(
        f"  {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user_line}
worker_processes 1;
daemon off;
master_process on;
pid {folder / "nginx.pid"};
error_log {folder / "erreurs.log"} warn;
events {{ worker_connections 256; }}
http {{
  include /etc/nginx/mime.types;
  access_log {folder / "acces.log"};
{temp}
  upstream llng_portal_upstream {{ server unix:{socket}; }}
  server {{
    listen 127.0.0.1:{port} ssl;
    server_name {host};
    ssl_certificate {cert};
    ssl_certificate_key {key};
    root {PORTAL_HTDOCS}/;
    if ($uri !~ ^/((static|javascript|favicon).*|.*\\.psgi)) {{
      rewrite ^/(.*)$ /index.psgi/$1 break;
    }}
    location ~ ^(?<sc>/.*\\.psgi)(?:$|/) {{
      include /etc/nginx/fastcgi_params;
      fastcgi_pass llng_portal_upstream;
      fastcgi_param HTTP_HOST $host;
      fastcgi_param HTTPS on;
      fastcgi_param LLTYPE psgi;
      fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
      fastcgi_split_path_info ^(.*\\.psgi)(/.*)$;
      fastcgi_param PATH_INFO $fastcgi_path_info;
      location ~ ^/index.psgi/(adminSessions|proxy|sessions|config|notification) {{
        deny all;
      }}
    }}
    index index.psgi;
    location / {{ try_files $uri $uri/ =404; }}
    location /static/ {{ alias {PORTAL_HTDOCS}/static/; }}
    location /javascript/ {{ alias /usr/share/javascript/; }}
  }}
}}
"""


def oidc_keys(spico_home: str, redirect_uri: str, logout_url: str, client_secret: str) -> dict:
    """The OpenID Connect provider, with SPICO's gate as its one relying party."""
    private, public = _signing_key()
    return dict(
        issuerDBOpenIDConnectActivation=1,
        oidcServicePrivateKeySig=private,
        oidcServicePublicKeySig=public,
        oidcServiceKeyIdSig=secrets.token_hex(8),
        oidcRPMetaDataOptions={
            CLIENT_ID: {
                "oidcRPMetaDataOptionsDisplayName": "SPICO",
                "oidcRPMetaDataOptionsClientID": CLIENT_ID,
                "oidcRPMetaDataOptionsClientSecret": client_secret,
                "oidcRPMetaDataOptionsRedirectUris": redirect_uri,
                "oidcRPMetaDataOptionsPostLogoutRedirectUris": spico_home,
                "oidcRPMetaDataOptionsIDTokenSignAlg": "RS256",  # without it: 500 at /token
                "oidcRPMetaDataOptionsBypassConsent": 1,
                "oidcRPMetaDataOptionsLogoutType": "front",  # 2.16 has nothing else
                "oidcRPMetaDataOptionsLogoutUrl": logout_url,
                "oidcRPMetaDataOptionsLogoutSessionRequired": 1,
            }
        },
        oidcRPMetaDataExportedVars={
            CLIENT_ID: {"email": "mail", "name": "cn", "preferred_username": "uid"}
        },
    )
