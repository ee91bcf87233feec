"""Fingerprint or face unlock as a WebAuthn platform credential (EXI-MOB-VERROUILLAGE).

The phone's authenticator signs the server's challenge only after it has recognised the
user; the server checks the signature and the "user verified" flag with the ``webauthn``
package. Protocol only: the routes are in ``app.py``.
"""

from __future__ import annotations

import json

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorAttachment,
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from ..accounts import Account
from .devices import Device, Devices

CHALLENGE_SECONDS = 120


class Biometrics:
    def __init__(self, devices: Devices, origin: str, rp_id: str, verify_user: bool) -> None:
        self._devices = devices
        self._origin = origin
        self._rp_id = rp_id
        #: ``False`` (fault "biometrie-echec-accepte"): a signature without the user
        #: recognised is accepted, and the app does not ask the phone to recognise anyone.
        self._verify_user = verify_user

    @property
    def _user_verification(self) -> UserVerificationRequirement:
        if self._verify_user:
            return UserVerificationRequirement.REQUIRED
        return UserVerificationRequirement.DISCOURAGED

    def registration_options(self, device: Device, account: Account) -> dict:
        options = generate_registration_options(
            rp_id=self._rp_id,
            rp_name="SPICO",
            user_id=device.id.encode(),
            user_name=account.identifier,
            user_display_name=account.display_name,
            authenticator_selection=AuthenticatorSelectionCriteria(
                authenticator_attachment=AuthenticatorAttachment.PLATFORM,
                resident_key=ResidentKeyRequirement.DISCOURAGED,
                user_verification=self._user_verification,
            ),
            timeout=CHALLENGE_SECONDS * 1000,
        )
        self._devices.set_challenge(device, options.challenge, CHALLENGE_SECONDS)
        return json.loads(options_to_json(options))

    def register(self, device: Device, credential: object) -> bool:
        challenge = self._devices.take_challenge(device)
        if challenge is None or not isinstance(credential, dict):
            return False
        try:
            verified = verify_registration_response(
                credential=credential,
                expected_challenge=challenge,
                expected_rp_id=self._rp_id,
                expected_origin=self._origin,
                require_user_verification=self._verify_user,
            )
        except (InvalidRegistrationResponse, ValueError, KeyError, TypeError):
            return False
        self._devices.add_credential(
            device,
            bytes_to_base64url(verified.credential_id),
            verified.credential_public_key,
            verified.sign_count,
        )
        return True

    def authentication_options(self, device: Device) -> dict | None:
        """A challenge for the device's credential, or ``None`` if it has none enrolled."""
        credentials = self._devices.credentials(device)
        if not credentials:
            return None
        options = generate_authentication_options(
            rp_id=self._rp_id,
            allow_credentials=[
                PublicKeyCredentialDescriptor(id=base64url_to_bytes(c["credential_id"]))
                for c in credentials
            ],
            user_verification=self._user_verification,
            timeout=CHALLENGE_SECONDS * 1000,
        )
        self._devices.set_challenge(device, options.challenge, CHALLENGE_SECONDS)
        return json.loads(options_to_json(options))

    def authenticate(self, device: Device, assertion: object) -> bool:
        challenge = self._devices.take_challenge(device)
        if challenge is None or not isinstance(assertion, dict):
            return False
        stored = {c["credential_id"]: c for c in self._devices.credentials(device)}
        credential = stored.get(str(assertion.get("id", "")))
        if credential is None:
            return False
        try:
            verified = verify_authentication_response(
                credential=assertion,
                expected_challenge=challenge,
                expected_rp_id=self._rp_id,
                expected_origin=self._origin,
                credential_public_key=credential["public_key"],
                credential_current_sign_count=credential["sign_count"],
                require_user_verification=self._verify_user,
            )
        except (InvalidAuthenticationResponse, ValueError, KeyError, TypeError):
            return False
        self._devices.update_sign_count(credential["credential_id"], verified.new_sign_count)
        return True
