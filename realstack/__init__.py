"""The reference real stack: software nobody here wrote (LemonLDAP::NG as PASS, Apache with
mod_auth_openidc as SPICO's gate), from Debian packages, started on loopback for an audit.

``python -m realstack`` (``./dev pile``) starts it in the foreground until Ctrl-C.
"""
