"""Accessibility checks for real-browser tests."""

from axe_playwright_python.sync_playwright import Axe

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
AXE = Axe()


def serious_violations(page) -> list[str]:
    """axe-core violations of serious or critical impact, one readable line each."""
    results = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def assert_accessible(page) -> None:
    """No serious axe-core violation, and nothing makes the page scroll sideways."""
    assert serious_violations(page) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{page.url} scrolls sideways at {page.viewport_size['width']} px"
    )
