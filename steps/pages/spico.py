"""SPICO pages: the header every signed-in page shares, the patient list, a patient record."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import urljoin

from playwright.sync_api import Page, expect

from ..labels import label
from .controls import click_through, offers


class SpicoPage:
    """What every signed-in SPICO page has: a way to log out (by default, the user menu
    holding "Se déconnecter"; a profile's ``[parcours] deconnexion_spico``)."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def expect_logout_offered(self, flow: Sequence[str], settle: Callable[[], None]) -> None:
        offers(self.page, flow, "spico", settle)

    def log_out(self, flow: Sequence[str], settle: Callable[[], None]) -> None:
        click_through(self.page, flow, "spico", settle)

    def shows_patient_data(self) -> bool:
        table = self.page.get_by_role("table", name=label("Patients", "spico"))
        record = self.page.get_by_role("region", name=label("Dossier du patient", "spico"))
        return table.count() + record.count() > 0

    def expect_no_patient_data(self) -> None:
        expect(
            self.page.get_by_role("table", name=label("Patients", "spico")),
            "la liste des patients est encore affichée",
        ).to_have_count(0)
        expect(
            self.page.get_by_role("region", name=label("Dossier du patient", "spico")),
            "le dossier d'un patient est encore affiché",
        ).to_have_count(0)


class PatientListPage(SpicoPage):
    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.heading = page.get_by_role("heading", name=label("Liste des patients", "spico"))
        self.table = page.get_by_role("table", name=label("Patients", "spico"))
        self.rows = self.table.locator("tbody tr")

    def expect_shown(self) -> None:
        expect(self.heading, "la liste des patients de SPICO n'est pas affichée").to_be_visible()
        expect(self.table, "le tableau des patients n'est pas affiché").to_be_visible()

    def expect_patients(self) -> None:
        expect(self.rows.first, "le tableau ne montre aucun patient").to_be_visible()
        for words in ("Identité", "Date de naissance", "Date de mise à jour", "Actions"):
            column = label(words, "spico")
            header = self.table.get_by_role("columnheader", name=column)
            expect(header, f"le tableau n'a pas de colonne « {column} »").to_be_visible()

    def expect_filter(self, name: str, value: str) -> None:
        expect(
            self.page.get_by_label(label(name.capitalize(), "spico"), exact=True),
            f"le filtre « {name} » ne vaut pas « {value} »",
        ).to_have_value(value)

    def search(self) -> None:
        self.page.get_by_role("button", name=label("Rechercher les patients", "spico")).click()
        self.expect_shown()

    def first_record_link(self):
        return self.rows.first.get_by_role("link", name=label("Ouvrir le dossier", "spico"))

    def first_record_url(self) -> str:
        return urljoin(self.page.url, self.first_record_link().get_attribute("href"))

    def open_first_record(self) -> None:
        self.first_record_link().click()
        expect(
            self.page.get_by_role("region", name=label("Dossier du patient", "spico")),
            "le dossier du patient ne s'ouvre pas",
        ).to_be_visible()
