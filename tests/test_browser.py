"""The published report in a real browser: headless Chromium opens every page with networking off.

Checks, on a fresh report of the seed corpus: no console errors or uncaught exceptions, every image decoded and
described (alt text), no request leaving the machine (only file: and data: URLs), the interactive tables
working (typing in a search box filters the rows; clicking or pressing Enter on a header sorts them), and a
page that fits a 390-px phone screen. Screenshots of the index and each page are taken with the same driver.

The browser is Debian's ``chromium`` (or any Chrome/Chromium in ``OPEDLENS_CHROMIUM``), driven over the Chrome
DevTools Protocol on a pipe (``--remote-debugging-pipe``): no extra package, no port. Without a browser these
tests skip and say how to get one.

Screenshots of the committed report (``outputs/html`` -> ``docs/screenshots``; not inside the report folder,
which holds only what a run wrote)::

    .venv/bin/python tests/test_browser.py [HTML_DIR] [SCREENSHOT_DIR]
"""

from __future__ import annotations

import base64
import fcntl
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_HELP = ("no Chromium found: install it (Debian/Ubuntu: `sudo apt-get install -y chromium`) "
                 "or set OPEDLENS_CHROMIUM to a Chrome/Chromium executable")
LAPTOP = {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False}
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
LOCAL_SCHEMES = ("file:", "data:", "about:")


def find_chromium() -> str | None:
    """``OPEDLENS_CHROMIUM``, else the first of chromium, chromium-browser, google-chrome on the PATH."""
    configured = os.environ.get("OPEDLENS_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if found := shutil.which(name):
            return found
    return None


# ------------------------------------------------------------------------------------------------ the driver


class Chromium:
    """Headless Chromium with one tab, driven over the DevTools protocol on a pipe, with networking off.

    Networking is off three ways: a proxy that does not exist (``127.0.0.1:9``), a host resolver that resolves
    nothing, and request interception that fails every request whose URL is not ``file:`` or ``data:``
    (each is recorded in :attr:`blocked`). JavaScript dialogs (``alert`` …) are recorded and dismissed.
    """

    def __init__(self, executable: str, timeout: float = 30.0):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="opedlens-chromium-")
        commands_r, self._commands_w = os.pipe()
        self._replies_r, replies_w = os.pipe()
        # the child needs them as fds 3 (it reads commands) and 4 (it writes replies): move them out of the way
        child_r = fcntl.fcntl(commands_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_w = fcntl.fcntl(replies_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(commands_r)
        os.close(replies_w)

        def wire_pipes() -> None:  # runs in the child, before exec
            os.dup2(child_r, 3)
            os.dup2(child_w, 4)

        args = [executable, "--headless", "--no-sandbox", "--remote-debugging-pipe", f"--user-data-dir={self.profile}",
                "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-domain-reliability", "--mute-audio", "--hide-scrollbars",
                "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--host-resolver-rules=MAP * ~NOTFOUND", "about:blank"]
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, pass_fds=(3, 4), preexec_fn=wire_pipes)
        os.close(child_r)
        os.close(child_w)
        self._next_id = 0
        self._lock = threading.Lock()
        self._arrived = threading.Condition()
        self._replies: dict[int, dict] = {}
        self.events: list[dict] = []
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=self.session)
        self.send("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, session=self.session)
        self.viewport(LAPTOP)

    # --- protocol -------------------------------------------------------------------------------------------

    def _post(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        with self._lock:
            self._next_id += 1
            message = {"id": self._next_id, "method": method, "params": params or {}}
            if session:
                message["sessionId"] = session
            os.write(self._commands_w, json.dumps(message).encode() + b"\0")
            return self._next_id

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send one command and wait for its result (raises on a protocol error)."""
        ident = self._post(method, params, session)
        deadline = time.monotonic() + self.timeout
        with self._arrived:
            while ident not in self._replies:
                left = deadline - time.monotonic()
                if left <= 0 or not self._reader.is_alive():
                    raise TimeoutError(f"Chromium did not answer {method}")
                self._arrived.wait(left)
            reply = self._replies.pop(ident)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def _read(self) -> None:
        buffer = b""
        while chunk := os.read(self._replies_r, 1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                self._dispatch(json.loads(raw))
        with self._arrived:
            self._arrived.notify_all()

    def _dispatch(self, message: dict) -> None:
        if "id" in message:
            with self._arrived:
                self._replies[message["id"]] = message
                self._arrived.notify_all()
            return
        method, params, session = message.get("method"), message.get("params", {}), message.get("sessionId")
        if method == "Fetch.requestPaused":  # answer at once (without waiting: this is the reader thread)
            url = params["request"]["url"]
            if url.startswith(LOCAL_SCHEMES):
                self._post("Fetch.continueRequest", {"requestId": params["requestId"]}, session)
            else:
                self.blocked.append(url)
                self._post("Fetch.failRequest", {"requestId": params["requestId"], "errorReason": "InternetDisconnected"},
                           session)
        elif method == "Page.javascriptDialogOpening":
            self.dialogs.append(f"{params.get('type')}: {params.get('message')}")
            self._post("Page.handleJavaScriptDialog", {"accept": False}, session)
        with self._arrived:
            self.events.append(message)
            self._arrived.notify_all()

    def _wait_for_event(self, method: str, start: int) -> None:
        deadline = time.monotonic() + self.timeout
        with self._arrived:
            while not any(e.get("method") == method for e in self.events[start:]):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no {method} from Chromium")
                self._arrived.wait(left)

    # --- the tab ----------------------------------------------------------------------------------------------

    def viewport(self, metrics: dict) -> None:
        self.send("Emulation.setDeviceMetricsOverride", metrics, session=self.session)

    def goto(self, url: str) -> None:
        """Open ``url`` and wait for its load event; forget the previous page's events, requests and dialogs."""
        with self._arrived:
            self.events.clear()
        self.blocked.clear()
        self.dialogs.clear()
        result = self.send("Page.navigate", {"url": url}, session=self.session)
        if result.get("errorText"):
            raise RuntimeError(f"cannot open {url}: {result['errorText']}")
        self._wait_for_event("Page.loadEventFired", 0)

    def evaluate(self, expression: str):
        """The JSON value of ``expression`` in the page (promises are awaited)."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True},
                           session=self.session)
        if "exceptionDetails" in result:
            raise RuntimeError(f"in the page: {result['exceptionDetails'].get('exception', {}).get('description')}")
        return result["result"].get("value")

    def console_errors(self) -> list[str]:
        """Console errors, failed assertions, uncaught exceptions and browser-logged errors since the page opened."""
        errors = []
        for event in list(self.events):
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                errors.append("console: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                errors.append("exception: " + details.get("exception", {}).get("description", details.get("text", "")))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                errors.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}".strip())
        return errors

    def requests(self) -> list[str]:
        """Every URL the page asked for since it opened."""
        return [e["params"]["request"]["url"] for e in list(self.events) if e.get("method") == "Network.requestWillBeSent"]

    def click(self, selector_expression: str) -> None:
        """A real mouse click in the middle of the element ``selector_expression`` (JavaScript) evaluates to."""
        box = self.evaluate(f"(() => {{ const e = {selector_expression}; e.scrollIntoView({{block: 'center'}});"
                            " const r = e.getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()")
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": box["x"], "y": box["y"], "button": "left",
                                                   "clickCount": 1}, session=self.session)

    def type_into(self, selector_expression: str, text: str) -> None:
        """Focus the element and type ``text`` as a user would (one input event per key)."""
        self.evaluate(f"{selector_expression}.focus()")
        for char in text:
            self.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": char, "text": char}, session=self.session)
            self.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": char}, session=self.session)

    def press_enter(self, selector_expression: str) -> None:
        self.evaluate(f"{selector_expression}.focus()")
        key = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13}
        self.send("Input.dispatchKeyEvent", {"type": "keyDown", "text": "\r", **key}, session=self.session)
        self.send("Input.dispatchKeyEvent", {"type": "keyUp", **key}, session=self.session)

    def screenshot(self, path: Path) -> None:
        data = self.send("Page.captureScreenshot", {"format": "png"}, session=self.session)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self._post("Browser.close")
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        for fd in (self._commands_w, self._replies_r):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)


# ------------------------------------------------------------------------------------------- what is checked

IMAGES_JS = """Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null))).then(() =>
  Array.from(document.images).map(i => ({src: i.src.slice(0, 30), alt: i.getAttribute('alt'), width: i.naturalWidth})))"""

TABLES_JS = """Array.from(document.querySelectorAll('table.opedlens-interactive')).map(t => ({
  rows: t.tBodies[0].rows.length,
  search: !!(t.previousElementSibling && t.previousElementSibling.classList.contains('opedlens-search')),
  headers: Array.from(t.querySelectorAll('thead button.opedlens-sort')).length}))"""


def _table(k: int) -> str:
    return f"document.querySelectorAll('table.opedlens-interactive')[{k}]"


def check_page(browser: Chromium, page: Path) -> dict:
    """Open ``page``; return what it loaded, logged and showed: errors, requests, images, interactive tables."""
    browser.goto(page.resolve().as_uri())
    images = browser.evaluate(IMAGES_JS)
    tables = browser.evaluate(TABLES_JS)
    return {"errors": browser.console_errors(), "requests": browser.requests(), "blocked": list(browser.blocked),
            "dialogs": list(browser.dialogs), "images": images, "tables": tables}


def problems(result: dict) -> list[str]:
    """What is wrong on a checked page (empty when nothing is)."""
    found = [f"error: {e}" for e in result["errors"]]
    found += [f"request leaving the machine: {url}" for url in result["requests"] if not url.startswith(LOCAL_SCHEMES)]
    found += [f"blocked: {url}" for url in result["blocked"]]
    found += [f"dialog: {d}" for d in result["dialogs"]]
    for image in result["images"]:
        if not image["width"] > 0:
            found.append(f"image not decoded: {image['src']}")
        if not (image["alt"] or "").strip() or image["alt"].strip() == "Figure":
            found.append(f"image without a meaningful alt text: {image['src']}")
    return found


def search_table(browser: Chromium, k: int) -> dict:
    """Type a word from the table's last row into its search box: how many rows matched, and were shown."""
    query = browser.evaluate(f"""(() => {{
      const rows = Array.from({_table(k)}.tBodies[0].rows), texts = rows.map(r => r.textContent.toLowerCase());
      for (const row of rows.slice().reverse()) {{
        for (const word of row.textContent.toLowerCase().split(/[^a-z0-9]+/)) {{
          const n = texts.filter(t => t.includes(word)).length;
          if (word.length >= 3 && n < rows.length) return {{word: word, expected: n}};
        }}
      }}
      return null; }})()""")
    if query is None:
        return {"skipped": True}
    search = f"{_table(k)}.previousElementSibling.querySelector('input')"
    browser.type_into(search, query["word"])
    shown = browser.evaluate(f"""Array.from({_table(k)}.tBodies[0].rows).filter(r => !r.hidden)
                                 .map(r => r.textContent.toLowerCase().includes({json.dumps(query['word'])}))""")
    status = browser.evaluate(f"{_table(k)}.previousElementSibling.querySelector('.opedlens-search-status').textContent")
    browser.evaluate(f"(() => {{ const i = {search}; i.value = ''; i.dispatchEvent(new Event('input')); }})()")
    restored = browser.evaluate(f"Array.from({_table(k)}.tBodies[0].rows).filter(r => !r.hidden).length")
    return {"query": query["word"], "expected": query["expected"], "shown": shown, "status": status,
            "restored": restored}


def _number(text: str) -> float | None:
    cleaned = text.replace("\u2212", "-").replace(",", "").replace("%", "").strip()
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return None if math.isnan(value) else value


def sort_table(browser: Chromium, k: int) -> dict:
    """Click a header (a numeric column when there is one), then press Enter on it: the column's values each time."""
    column = browser.evaluate(f"""(() => {{
      const t = {_table(k)}, buttons = Array.from(t.querySelectorAll('thead button.opedlens-sort'));
      const col = b => {{ let c = 0; for (const cell of b.closest('tr').cells) {{ if (cell === b.closest('th')) return c; c += cell.colSpan; }} }};
      const cellText = (r, c) => {{ let i = 0; for (const cell of r.cells) {{ if (i === c) return cell.textContent.trim(); i += cell.colSpan; }} return ''; }};
      const numeric = b => Array.from(t.tBodies[0].rows).every(r => /^[-+\\u2212]?[\\d.,]+(e[-+]?\\d+)?%?$|^$|^NaN$/i.test(cellText(r, col(b))));
      const pick = buttons.findIndex(numeric);
      return {{button: pick >= 0 ? pick : 0, column: col(buttons[pick >= 0 ? pick : 0]), numeric: pick >= 0}}; }})()""")
    button = f"{_table(k)}.querySelectorAll('thead button.opedlens-sort')[{column['button']}]"
    values = f"""Array.from({_table(k)}.tBodies[0].rows).map(r => {{ let i = 0;
                   for (const cell of r.cells) {{ if (i === {column['column']}) return cell.textContent.trim(); i += cell.colSpan; }}
                   return ''; }})"""
    before = browser.evaluate(values)
    browser.click(button)
    ascending = browser.evaluate(values)
    first_state = browser.evaluate(f"{button}.closest('th').getAttribute('aria-sort')")
    browser.press_enter(button)
    descending = browser.evaluate(values)
    second_state = browser.evaluate(f"{button}.closest('th').getAttribute('aria-sort')")
    return {"numeric": column["numeric"], "before": before, "ascending": ascending, "descending": descending,
            "states": (first_state, second_state)}


def sort_problems(result: dict) -> list[str]:
    found = []
    if result["states"] != ("ascending", "descending"):
        found.append(f"aria-sort went {result['states']}")
    if sorted(result["ascending"]) != sorted(result["before"]) or sorted(result["descending"]) != sorted(result["before"]):
        found.append("sorting lost or changed rows")
    if result["numeric"]:
        up = [v for v in map(_number, result["ascending"]) if v is not None]
        down = [v for v in map(_number, result["descending"]) if v is not None]
        if up != sorted(up) or down != sorted(down, reverse=True):
            found.append(f"numbers not in order: {up[:6]} / {down[:6]}")
    elif len(set(result["ascending"])) == len(result["ascending"]) and result["descending"] != result["ascending"][::-1]:
        found.append("descending is not the reverse of ascending")
    return found


def take_screenshots(browser: Chromium, html_dir: Path, out_dir: Path) -> list[Path]:
    """The index and every reader page at laptop size, and the index and first page at phone size."""
    pages = [html_dir / "index.html", *sorted(p for p in html_dir.glob("[0-9][0-9]-*.html") if not p.stem.endswith("-code"))]
    written = []
    for metrics, suffix, chosen in ((LAPTOP, "", pages), (PHONE, "-phone", pages[:2])):
        browser.viewport(metrics)
        for page in chosen:
            browser.goto(page.resolve().as_uri())
            browser.evaluate(IMAGES_JS)  # wait until the figures are decoded
            path = out_dir / f"{page.stem}{suffix}.png"
            browser.screenshot(path)
            written.append(path)
    browser.viewport(LAPTOP)
    return written


def png_size(path: Path) -> tuple[int, int]:
    return struct.unpack(">II", path.read_bytes()[16:24])


# ----------------------------------------------------------------------------------------------------- tests

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():
    executable = find_chromium()
    if executable is None:
        pytest.skip(CHROMIUM_HELP)
    chromium = Chromium(executable)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def report(browser, seed_report) -> Path:
    """The pages of a fresh report of the seed corpus (the session's shared ``seed_report``)."""
    return seed_report / "html"


def test_every_page_loads_offline_without_errors_and_with_its_images(report, browser):
    pages = sorted(report.glob("*.html"))
    assert len(pages) >= 3 and (report / "index.html") in pages
    checked_images = 0
    for page in pages:
        result = check_page(browser, page)
        assert problems(result) == [], page.name
        assert all(url.startswith(("file:", "data:")) for url in result["requests"]), page.name
        checked_images += len(result["images"])
    assert checked_images >= 10, "the notebooks' figures are missing"
    print(f"{len(pages)} pages, {checked_images} images: no console error, no request off the machine")


def test_tables_can_be_searched_and_sorted_with_mouse_and_keyboard(report, browser):
    searched = sorted_tables = 0
    for page in sorted(p for p in report.glob("[0-9][0-9]-*.html") if not p.stem.endswith("-code")):
        tables = check_page(browser, page)["tables"]
        for k, table in enumerate(tables):
            if table["search"]:
                result = search_table(browser, k)
                if not result.get("skipped"):
                    assert len(result["shown"]) == result["expected"] >= 1, (page.name, k, result["query"])
                    assert all(result["shown"]), (page.name, k, result["query"])
                    assert result["status"] == f"{result['expected']} of {table['rows']} rows"
                    assert result["restored"] == table["rows"]
                    searched += 1
            outcome = sort_table(browser, k)
            assert sort_problems(outcome) == [], (page.name, k)
            sorted_tables += 1
        assert browser.console_errors() == [], page.name
    print(f"searched {searched} tables, sorted {sorted_tables}")
    assert searched >= 3 and sorted_tables >= 5


def test_pages_fit_a_phone_screen(report, browser):
    browser.viewport(PHONE)
    try:
        for page in [report / "index.html", *sorted(report.glob("[0-9][0-9]-*.html"))]:
            browser.goto(page.resolve().as_uri())
            layout = browser.evaluate("""(() => ({
              width: document.documentElement.scrollWidth, viewport: window.innerWidth,
              font: parseFloat(getComputedStyle(document.querySelector('main p') || document.body).fontSize),
              wideTables: Array.from(document.querySelectorAll('main table')).filter(t => t.scrollWidth > window.innerWidth)
                .map(t => { for (let e = t.parentElement; e; e = e.parentElement) {
                  const o = getComputedStyle(e).overflowX; if (o === 'auto' || o === 'scroll') return o; } return 'visible'; })}))()""")
            assert layout["viewport"] == PHONE["width"]
            assert layout["width"] <= layout["viewport"], f"{page.name} scrolls sideways: {layout}"
            assert layout["font"] >= 14, page.name
            assert all(overflow in ("auto", "scroll") for overflow in layout["wideTables"]), page.name
    finally:
        browser.viewport(LAPTOP)


def test_prose_in_a_wide_table_keeps_a_reading_width(report, browser):
    """A validation table with a column of prose ("protocol") had it squeezed to a few words a line on a laptop."""
    checked = 0
    for page in sorted(p for p in report.glob("[0-9][0-9]-*.html") if not p.stem.endswith("-code")):
        browser.goto(page.resolve().as_uri())
        widths = browser.evaluate("""Array.from(document.querySelectorAll('main td.opedlens-prose'))
          .map(c => c.getBoundingClientRect().width / parseFloat(getComputedStyle(document.documentElement).fontSize))""")
        assert all(width >= 15.9 for width in widths), (page.name, sorted(widths)[:5])
        checked += len(widths)
    assert checked >= 20, "no table cell of prose was found"


def test_the_checks_catch_remote_requests_errors_and_missing_alt_text(browser, tmp_path):
    """The checks can fail: a page loading from the network, logging an error and with a bare image is flagged."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><body><img src="https://example.org/x.png">'
                    "<script>console.error('broken')</script></body></html>", encoding="utf-8")
    found = problems(check_page(browser, page))
    assert any("https://example.org/x.png" in p for p in found)
    assert any("broken" in p for p in found)
    assert any("not decoded" in p for p in found) and any("alt text" in p for p in found)


def test_screenshots_of_the_index_and_each_page(report, browser, tmp_path):
    written = take_screenshots(browser, report, tmp_path / "screenshots")
    names = {p.name for p in written}
    assert {"index.png", "index-phone.png", "01-load-corpus.png"} <= names
    assert png_size(tmp_path / "screenshots" / "index.png") == (LAPTOP["width"], LAPTOP["height"])
    assert png_size(tmp_path / "screenshots" / "index-phone.png") == (PHONE["width"] * 2, PHONE["height"] * 2)


def main(argv: list[str]) -> int:
    """Screenshots of a published report: ``test_browser.py [HTML_DIR] [SCREENSHOT_DIR]``."""
    html_dir = Path(argv[0]) if argv else PROJECT_ROOT / "outputs" / "html"
    out_dir = Path(argv[1]) if len(argv) > 1 else PROJECT_ROOT / "docs" / "screenshots"
    executable = find_chromium()
    if executable is None:
        print(CHROMIUM_HELP, file=sys.stderr)
        return 1
    chromium = Chromium(executable)
    try:
        for path in take_screenshots(chromium, html_dir, out_dir):
            print(path)
    finally:
        chromium.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
