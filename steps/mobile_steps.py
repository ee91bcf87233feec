"""Steps of the mobile features (EXI-MOB-*, BP-PIN-ESSAIS, BP-OTP on the app)."""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, then, when

from audit.evidence import Screens
from fixtures.channels import spoken, wrong_code
from fixtures.clock import IdleTime
from fixtures.codes import CodeReader
from fixtures.control import Account
from fixtures.durations import parse_duration
from fixtures.failure_kinds import judged_by
from fixtures.phone import Phone
from fixtures.target import Target

from .mobile_user import MobileUser
from .screens.mobile_app import (
    ActivationScreen,
    BiometricsOfferScreen,
    CodeEntryScreen,
    PatientsScreen,
    PinCreationScreen,
    PinScreen,
    patient_data_shown,
)


@pytest.fixture
def mobile_user(phone: Phone, account: Account, codes: CodeReader, screens: Screens) -> MobileUser:
    screens.add("telephone", lambda: phone.driver and phone.driver.get_screenshot_as_png())
    return MobileUser(phone, account, codes)


# -- the phone -------------------------------------------------------------------------


@given("un téléphone où l'application SPICO n'a jamais été activée")
def fresh_phone(mobile_user: MobileUser) -> None:
    mobile_user.phone.open_app()
    ActivationScreen(mobile_user.driver).expect_shown()


@given("son téléphone où l'application SPICO est activée")
def activated_phone(mobile_user: MobileUser, target: Target) -> None:
    """Set up through the control API where the target offers one (EXI-MOB-ACTIVATION's own
    scenarios walk activation), walked through the app's screens elsewhere."""
    if target.control is not None:
        mobile_user.restore_activation(target.control)
        return
    mobile_user.phone.open_app()
    mobile_user.activate()


@given("il a enregistré son empreinte dans l'application")
def enrols_fingerprint(mobile_user: MobileUser) -> None:
    mobile_user.phone.require_simulated_biometrics()
    PatientsScreen(mobile_user.driver).enrol_biometrics()


@given("il a consulté le dossier d'un patient", target_fixture="opened_patient")
def opened_a_record(mobile_user: MobileUser) -> str:
    return PatientsScreen(mobile_user.driver).open_first_record()


@given("il a fermé puis rouvert l'application")
@when("il ferme l'application et la rouvre")
def closes_and_reopens(mobile_user: MobileUser) -> None:
    mobile_user.phone.reopen_app()


# -- activation (EXI-MOB-ACTIVATION) ---------------------------------------------------


@when("il saisit son identifiant et son mot de passe PASS dans l'application")
def signs_in(mobile_user: MobileUser) -> None:
    ActivationScreen(mobile_user.driver).sign_in(mobile_user.account)


@when(parsers.parse("il choisit de recevoir le code {channel}"))
@judged_by("EXI-MOB-ACTIVATION")
def chooses_channel(mobile_user: MobileUser, channel: str) -> None:
    mobile_user.request_code(spoken(channel))
    CodeEntryScreen(mobile_user.driver).expect_shown()


@when(parsers.parse("il saisit le code reçu {channel}"))
@judged_by("EXI-MOB-ACTIVATION")
def enters_code(mobile_user: MobileUser, channel: str) -> None:
    mobile_user.enter_code(spoken(channel))


@when("il saisit un code faux")
def enters_wrong_code(mobile_user: MobileUser) -> None:
    right = mobile_user.codes.latest("e-mail", mobile_user.account)
    CodeEntryScreen(mobile_user.driver).enter(wrong_code(right))


@when("il répond plus tard à la proposition d'empreinte ou de visage")
def declines_biometrics(mobile_user: MobileUser) -> None:
    BiometricsOfferScreen(mobile_user.driver).decline()


@when("il choisit un code PIN à 4 chiffres et le confirme")
@judged_by("EXI-MOB-ACTIVATION")
def creates_pin(mobile_user: MobileUser) -> None:
    PinCreationScreen(mobile_user.driver).create(mobile_user.pin, mobile_user.pin)


@when("il choisit un code PIN puis en confirme un autre")
def mistypes_confirmation(mobile_user: MobileUser) -> None:
    PinCreationScreen(mobile_user.driver).create(mobile_user.pin, mobile_user.wrong_pin())


@then("l'application affiche la liste des patients")
def shows_patients(mobile_user: MobileUser) -> None:
    assert PatientsScreen(mobile_user.driver).patients(), "la liste des patients est vide"


@then("l'application refuse le code")
def code_refused(mobile_user: MobileUser) -> None:
    screen = CodeEntryScreen(mobile_user.driver)
    assert screen.error(), "aucun message n'explique le refus"
    screen.expect_shown()


@then("l'application ne propose pas de créer un code PIN")
def no_pin_creation(mobile_user: MobileUser) -> None:
    assert not PinCreationScreen(mobile_user.driver).is_shown(), "le code faux a été accepté"


@then("l'application refuse le code PIN")
def pin_refused(mobile_user: MobileUser) -> None:
    assert PinScreen(mobile_user.driver).error(), "aucun message n'explique le refus"


@then("l'application demande toujours de créer un code PIN")
def still_pin_creation(mobile_user: MobileUser) -> None:
    PinCreationScreen(mobile_user.driver).expect_shown()


# -- locked on reopening (EXI-MOB-VERROUILLAGE) ----------------------------------------


@then("l'application demande le code secret")
def asks_pin(mobile_user: MobileUser) -> None:
    PinScreen(mobile_user.driver).expect_shown()


@then("aucune donnée patient n'est affichée")
def no_patient_data(mobile_user: MobileUser) -> None:
    assert not patient_data_shown(mobile_user.driver), "des données patient sont affichées"


@when("il saisit son code PIN")
@judged_by("EXI-MOB-VERROUILLAGE")
def enters_pin(mobile_user: MobileUser) -> None:
    PinScreen(mobile_user.driver).enter(mobile_user.pin)


@when("il saisit un code PIN faux")
@judged_by("EXI-MOB-VERROUILLAGE")
def enters_wrong_pin(mobile_user: MobileUser) -> None:
    PinScreen(mobile_user.driver).enter(mobile_user.wrong_pin())


@when("il présente son empreinte, qui est reconnue")
@judged_by("EXI-MOB-VERROUILLAGE")
def presents_fingerprint(mobile_user: MobileUser) -> None:
    mobile_user.phone.recognise_user(True)
    PinScreen(mobile_user.driver).present_biometrics()


@when("il présente une empreinte qui n'est pas reconnue")
@judged_by("EXI-MOB-VERROUILLAGE")
def presents_unknown_fingerprint(mobile_user: MobileUser) -> None:
    mobile_user.phone.recognise_user(False)
    PinScreen(mobile_user.driver).present_biometrics()


@then("l'application refuse l'empreinte")
def fingerprint_refused(mobile_user: MobileUser) -> None:
    assert PinScreen(mobile_user.driver).error(), "aucun message n'explique le refus"


# -- reset (EXI-MOB-REINITIALISATION, EXI-MOB-NOUVEAU-COMPTE, BP-PIN-ESSAIS) ------------


@when("il demande à réinitialiser son compte", target_fixture="reset_dialog")
@judged_by("EXI-MOB-REINITIALISATION")
def asks_reset(mobile_user: MobileUser):
    mobile_user.remember_device()
    return PinScreen(mobile_user.driver).ask_reset()


@when("il annule")
@judged_by("EXI-MOB-REINITIALISATION")
def cancels(reset_dialog) -> None:
    reset_dialog.cancel()


@when("il confirme la réinitialisation")
@judged_by("EXI-MOB-REINITIALISATION")
def confirms(reset_dialog) -> None:
    reset_dialog.confirm()


@given("il a réinitialisé son compte sur le téléphone")
def has_reset(mobile_user: MobileUser) -> None:
    mobile_user.phone.reopen_app()
    PinScreen(mobile_user.driver).ask_reset().confirm()
    ActivationScreen(mobile_user.driver).expect_shown()


@then("son code PIN déverrouille toujours l'application")
def pin_still_unlocks(mobile_user: MobileUser) -> None:
    mobile_user.unlock()


@then("l'application propose d'activer un nouveau compte")
def offers_activation(mobile_user: MobileUser) -> None:
    ActivationScreen(mobile_user.driver).expect_shown()


@then("le téléphone ne garde plus rien du compte")
def phone_wiped(mobile_user: MobileUser) -> None:
    kept = mobile_user.phone.stored_keys()
    assert not kept, f"le téléphone garde encore : {', '.join(kept)}"
    mobile_user.phone.reopen_app()
    ActivationScreen(mobile_user.driver).expect_shown()


@then("le serveur refuse l'ancien identifiant de l'appareil")
def server_refuses_device(mobile_user: MobileUser) -> None:
    assert not mobile_user.server_accepts_remembered_device(), (
        "le serveur accepte encore l'appareil retiré"
    )


@when(parsers.parse("il saisit {count:d} fois un code PIN faux"))
@judged_by("BP-PIN-ESSAIS")
def enters_wrong_pins(mobile_user: MobileUser, count: int) -> None:
    mobile_user.remember_device()
    screen = PinScreen(mobile_user.driver)
    for _ in range(count):
        screen.enter(mobile_user.wrong_pin())
        screen.wait_for_answer()


@when("un second professionnel active l'application sur le même téléphone")
@judged_by("EXI-MOB-NOUVEAU-COMPTE")
def second_activates(mobile_user: MobileUser, target: Target) -> None:
    mobile_user.account = target.require_control().new_account()
    mobile_user.activate()


@then("l'application accueille le second professionnel")
def greets_second(mobile_user: MobileUser) -> None:
    greeting = PatientsScreen(mobile_user.driver).greeting()
    assert mobile_user.account.display_name in greeting, greeting


@then("elle n'affiche aucun dossier consulté par le premier")
def nothing_of_first(mobile_user: MobileUser, opened_patient: str) -> None:
    recent = PatientsScreen(mobile_user.driver).recently_opened()
    if recent is None:
        pytest.skip("non exécuté : l'écran des patients n'a pas de zone « Consultés récemment »")
    assert opened_patient not in recent, f"le dossier de {opened_patient} est encore proposé"
    assert not recent, f"dossiers du premier professionnel visibles : {', '.join(recent)}"


# -- one-time codes on the app (BP-OTP) ------------------------------------------------


@given("il a activé l'application avec un code reçu par e-mail")
def activated_with_code(mobile_user: MobileUser) -> None:
    mobile_user.activate()


@when("il recommence l'activation et saisit de nouveau ce code déjà utilisé")
def reuses_code(mobile_user: MobileUser) -> None:
    mobile_user.start_activation("e-mail")
    CodeEntryScreen(mobile_user.driver).enter(mobile_user.used_code)


@when(
    parsers.parse("il demande un code d'activation par SMS et attend {duration} avant de le saisir")
)
def waits_too_long(mobile_user: MobileUser, idle_time: IdleTime, duration: str) -> None:
    mobile_user.start_activation("SMS")
    idle_time.pass_(parse_duration(duration), mobile_user.phone, policy="code")
    mobile_user.enter_code("SMS")


@when(
    parsers.parse(
        "il demande un code d'activation par e-mail, se trompe {count:d} fois"
        " puis saisit le bon code"
    )
)
def wrong_codes_then_right(mobile_user: MobileUser, count: int) -> None:
    mobile_user.start_activation("e-mail")
    right = mobile_user.codes.latest("e-mail", mobile_user.account)
    screen = CodeEntryScreen(mobile_user.driver)
    for _ in range(count):
        screen.enter(wrong_code(right))
        assert screen.error(), "aucun message n'explique le refus"
    screen.enter(right)
