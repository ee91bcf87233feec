"""PASS's SMS channel: an operator's gateway for test numbers, and the command LemonLDAP::NG's
External 2F (Ext2F) runs to hand it a code.

The gateway is the simulator's minimal operator API (``simulator.outbox.sms_gateway_app``:
POST /messages {"to", "text"} sends; GET /messages?to=NUMBER lists what NUMBER received,
with ``sent_at``), over the simulator's own outbox in memory. The stack runs it under
libfaketime like its other servers, so ``sent_at`` follows the stack's clock.

LemonLDAP::NG generates and checks the code itself (``ext2fCodeActivation``); it only needs
a command to deliver it (``ext2FSendCommand``), which it runs without a shell, as the
portal's user (www-data when the stack runs as root), after replacing ``$code`` and any
``$attribute`` of the session. That user may not reach this project's interpreter (a venv
under /root, say), so the command is a Perl script of the run folder, with Perl's core
modules only: Perl is there wherever LemonLDAP::NG is.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from simulator import db
from simulator.clock import Clock
from simulator.outbox import Outbox, sms_gateway_app

PERL = Path("/usr/bin/perl")
#: The session attribute that holds the number: the accounts table's column, which the DBI
#: back-end exports (``llng.users_keys``).
PHONE_ATTRIBUTE = "mobile"
SENDER_NAME = "envoyer-sms.pl"

SENDER = r"""#!/usr/bin/perl
# ext2FSendCommand of the SPICO reference stack: URL NUMBER CODE -> POST URL
# {"to": NUMBER, "text": "...CODE"}; a status other than 0 fails LemonLDAP::NG's Ext2F.
use strict;
use warnings;
use HTTP::Tiny;
use JSON::PP;

my ( $url, $to, $code ) = @ARGV;
unless ( defined $code and $code =~ /^\d+$/ ) {
    print STDERR "envoyer-sms : pas de code a envoyer\n";
    exit 2;
}
unless ( defined $to and length $to ) {
    print STDERR "envoyer-sms : aucun numero de mobile pour ce compte\n";
    exit 2;
}
my $text = "Votre code de connexion est $code";
my $body = JSON::PP->new->utf8->canonical->encode( { to => $to, text => $text } );
my $answer = HTTP::Tiny->new( timeout => 10 )->post(
    $url,
    {
        headers => { 'Content-Type' => 'application/json' },
        content => $body,
    }
);
exit 0 if $answer->{success};
print STDERR "envoyer-sms : $url repond $answer->{status} $answer->{reason}\n";
exit 1;
"""


def write_sender(folder: Path) -> Path:
    """The send script in ``folder`` (created), readable and runnable by the portal's user."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    script = folder / SENDER_NAME
    script.write_text(SENDER)
    script.chmod(0o755)
    return script


def send_command(script: Path, gateway_url: str) -> str:
    """Ext2F's ext2FSendCommand: split on blanks by LemonLDAP::NG, so no blank in a path."""
    words = [str(PERL), str(script), gateway_url, f"${PHONE_ATTRIBUTE}", "$code"]
    if any(not word or any(c.isspace() for c in word) for word in words):
        raise ValueError(f"chemin ou adresse avec un blanc : {words}")
    return " ".join(words)


def create_app() -> Starlette:
    """The operator API over the simulator's outbox table, in memory: the messages of one
    run, gone with it."""
    return sms_gateway_app(Outbox(db.connect(":memory:"), Clock()))


def main() -> None:
    parser = argparse.ArgumentParser(description="Passerelle SMS de la pile de référence")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(create_app(), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
