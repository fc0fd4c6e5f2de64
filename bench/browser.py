"""Timing a page in a real browser: Debian's Chromium, driven by Playwright."""

from __future__ import annotations

from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# The same switches as the browser tests (tests/e2e/conftest.py): no sandbox in containers, and
# nothing that talks to the network behind the page's back.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
# Milliseconds from the start of navigation, read once the load event has finished. The paint
# entry can come after the load event: wait for it (a page that never paints gives null).
TIMINGS_JS = """() => new Promise((resolve) => {
  const navigation = performance.getEntriesByType('navigation')[0];
  const done = (paint) => resolve([navigation.responseEnd, navigation.loadEventEnd,
                                   paint ? paint.startTime : null]);
  const first = (entries) => entries.find((entry) => entry.name === 'first-contentful-paint');
  if (first(performance.getEntriesByType('paint'))) {
    return done(first(performance.getEntriesByType('paint')));
  }
  new PerformanceObserver((list) => {
    if (first(list.getEntries())) done(first(list.getEntries()));
  }).observe({type: 'paint', buffered: true});
  setTimeout(() => done(null), 5000);
})"""


@dataclass(frozen=True)
class PageLoad:
    response_ms: float  # the last byte of the HTML: the server's share
    load_ms: float
    first_paint_ms: float | None


def load_times(base_url: str, path: str, cookies: CookieJar, *, loads: int = 5) -> list[PageLoad]:
    """Open the page `loads` times in one logged-in browser, each in a new tab, after one
    untimed load that pays for the browser's own start-up."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.add_cookies([
                {"name": cookie.name, "value": cookie.value, "url": base_url}
                for cookie in cookies
            ])
            times = []
            for _ in range(loads + 1):
                page = context.new_page()
                page.bring_to_front()  # A tab in the background is never painted.
                page.goto(base_url + path, wait_until="load")
                if not page.url.endswith(path):
                    raise RuntimeError(f"the browser was sent to {page.url}, not {path}")
                page.wait_for_function(
                    "performance.getEntriesByType('navigation')[0].loadEventEnd > 0"
                )
                times.append(PageLoad(*page.evaluate(TIMINGS_JS)))
                page.close()
            return times[1:]
        finally:
            browser.close()
