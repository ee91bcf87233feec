"""SPICO pages: the patient list and its header."""

from __future__ import annotations

from playwright.sync_api import Page, expect


class PatientListPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Liste des patients")
        self.table = page.get_by_role("table", name="Patients")
        self.rows = self.table.locator("tbody tr")

    def expect_shown(self) -> None:
        expect(self.heading).to_be_visible()
        expect(self.table).to_be_visible()

    def expect_patients(self) -> None:
        expect(self.rows.first).to_be_visible()
        for column in ("Identité", "Date de naissance", "Date de mise à jour", "Actions"):
            expect(self.table.get_by_role("columnheader", name=column)).to_be_visible()

    def expect_no_patient_data(self) -> None:
        expect(self.table).to_have_count(0)

    def expect_filter(self, label: str, value: str) -> None:
        expect(self.page.get_by_label(label.capitalize(), exact=True)).to_have_value(value)

    def search(self) -> None:
        self.page.get_by_role("button", name="Rechercher les patients").click()
        self.expect_shown()

    def log_out(self) -> None:
        self.page.get_by_role("button", name="Menu utilisateur").click()
        self.page.get_by_role("button", name="Se déconnecter").click()
        expect(
            self.page.get_by_role("heading", name="Vous êtes déconnecté de SPICO")
        ).to_be_visible()


class SpicoLoggedOutPage:
    def __init__(self, page: Page) -> None:
        self.page = page

    def log_out_of_pass(self) -> None:
        self.page.get_by_role("link", name="Se déconnecter du PASS").click()
        expect(
            self.page.get_by_role("heading", name="Vous êtes déconnecté de SPICO et du PASS")
        ).to_be_visible()
