"""How controls are found on any target: by accessible name first, and for fields by
their label or, on portals that show icons instead of labels, their placeholder."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from playwright.sync_api import Locator, Page, expect

from ..labels import label


def field(page: Page, words: str) -> Locator:
    """The form field labelled or, failing a label, showing ``words``."""
    return page.get_by_label(words).or_(page.get_by_placeholder(words)).first


def control(page: Page, words: str) -> Locator:
    """The visible button or link named ``words``."""
    named = page.get_by_role("button", name=words).or_(page.get_by_role("link", name=words))
    return named.filter(visible=True).first


def click_through(page: Page, names: Sequence[str], app: str, settle: Callable[[], None]) -> None:
    """Click each named control in turn (a menu, its item, a confirmation), each once the
    page has loaded and what the previous click asked has been answered. A menu button
    already open is left open."""
    for words in names:
        page.wait_for_load_state()
        target = control(page, label(words, app))
        expect(target, f"« {label(words, app)} » introuvable sur {page.url}").to_be_visible()
        if target.get_attribute("aria-expanded") == "true":
            continue
        expanding = target.get_attribute("aria-expanded") is not None
        target.click()
        if expanding:
            expect(target, f"« {label(words, app)} » ne s'ouvre pas").to_have_attribute(
                "aria-expanded", "true"
            )
        settle()


def offers(page: Page, names: Sequence[str], app: str, settle: Callable[[], None]) -> None:
    """The last control of ``names`` is there once the ones before it are clicked (a menu
    opened), without clicking it."""
    click_through(page, names[:-1], app, settle)
    last = label(names[-1], app)
    expect(control(page, last), f"la page n'offre pas « {last} »").to_be_visible()
