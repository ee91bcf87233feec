"""PASS, the identity portal: login with one-time code, service kiosk, OpenID Connect provider."""
