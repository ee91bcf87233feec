"""SPICO pages: the header every signed-in page shares, the patient list, a patient record."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from ..labels import label


class SpicoPage:
    """What every signed-in SPICO page has: the user menu holding "Se déconnecter"."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.menu = page.get_by_role("button", name=label("Menu utilisateur"))
        self.logout = page.get_by_role("button", name=label("Se déconnecter"))

    def open_menu(self) -> None:
        """Open the menu once the page's script has wired it: a click before that does nothing."""
        self.page.wait_for_load_state("domcontentloaded")
        if self.menu.get_attribute("aria-expanded") != "true":
            self.menu.click()
        expect(self.menu, "le menu utilisateur de SPICO ne s'ouvre pas").to_have_attribute(
            "aria-expanded", "true"
        )

    def expect_logout_offered(self) -> None:
        expect(self.menu, "la page n'a pas de menu utilisateur").to_be_visible()
        self.open_menu()
        expect(self.logout, "le menu utilisateur n'offre pas « Se déconnecter »").to_be_visible()

    def log_out(self) -> None:
        self.open_menu()
        self.logout.click()
        expect(
            self.page.get_by_role("heading", name=label("Vous êtes déconnecté de SPICO")),
            "SPICO n'affiche pas qu'il a déconnecté l'utilisateur",
        ).to_be_visible()

    def shows_patient_data(self) -> bool:
        table = self.page.get_by_role("table", name=label("Patients"))
        record = self.page.get_by_role("region", name=label("Dossier du patient"))
        return table.count() + record.count() > 0

    def expect_no_patient_data(self) -> None:
        expect(
            self.page.get_by_role("table", name=label("Patients")),
            "la liste des patients est encore affichée",
        ).to_have_count(0)
        expect(
            self.page.get_by_role("region", name=label("Dossier du patient")),
            "le dossier d'un patient est encore affiché",
        ).to_have_count(0)


class PatientListPage(SpicoPage):
    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.heading = page.get_by_role("heading", name=label("Liste des patients"))
        self.table = page.get_by_role("table", name=label("Patients"))
        self.rows = self.table.locator("tbody tr")

    def expect_shown(self) -> None:
        expect(self.heading, "la liste des patients de SPICO n'est pas affichée").to_be_visible()
        expect(self.table, "le tableau des patients n'est pas affiché").to_be_visible()

    def expect_patients(self) -> None:
        expect(self.rows.first, "le tableau ne montre aucun patient").to_be_visible()
        for column in ("Identité", "Date de naissance", "Date de mise à jour", "Actions"):
            header = self.table.get_by_role("columnheader", name=column)
            expect(header, f"le tableau n'a pas de colonne « {column} »").to_be_visible()

    def expect_filter(self, name: str, value: str) -> None:
        expect(
            self.page.get_by_label(label(name.capitalize()), exact=True),
            f"le filtre « {name} » ne vaut pas « {value} »",
        ).to_have_value(value)

    def search(self) -> None:
        self.page.get_by_role("button", name=label("Rechercher les patients")).click()
        self.expect_shown()

    def first_record_link(self):
        return self.rows.first.get_by_role("link", name=label("Ouvrir le dossier"))

    def first_record_path(self) -> str:
        return self.first_record_link().get_attribute("href")

    def open_first_record(self) -> None:
        self.first_record_link().click()
        expect(
            self.page.get_by_role("region", name=label("Dossier du patient")),
            "le dossier du patient ne s'ouvre pas",
        ).to_be_visible()


class SpicoLoggedOutPage:
    def __init__(self, page: Page) -> None:
        self.page = page

    def log_out_of_pass(self) -> None:
        self.page.get_by_role("link", name=label("Se déconnecter du PASS")).click()
        expect(
            self.page.get_by_role(
                "heading", name=label("Vous êtes déconnecté de SPICO et du PASS")
            ),
            "le PASS n'affiche pas qu'il a déconnecté l'utilisateur de SPICO et du PASS",
        ).to_be_visible()
