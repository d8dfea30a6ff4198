"""The browser tests' outside tools: Chromium, the Nu HTML Checker and axe-core."""

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"

# Headless, and nothing that reaches outside the machine: no updates, no sync,
# no background requests to Google's services.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}

LOG_KEY = pytest.StashKey["BrowserLog"]()

# Reports every Content Security Policy violation of every document the page
# loads. Playwright injects it outside the page's CSP, so the policy cannot
# silence it.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__sergesiteCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline code"}`
    + ` in ${event.sourceFile || document.location.href}:${event.lineNumber}`
  );
});
"""


def chromium():
    """Debian's Chromium, or the one CHROMIUM_PATH names; None when there is none."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), "chromium", "chromium-browser"):
        found = candidate and shutil.which(candidate)
        if found:
            return found
    return None


def missing(*needs):
    """What is missing for `needs` ("chromium", "vnu", "axe"), as sentences."""
    problems = []
    if "chromium" in needs and not chromium():
        problems.append("Chromium (apt-get install chromium)")
    if "vnu" in needs:
        if not shutil.which("java"):
            problems.append("Java for the Nu HTML Checker")
        if not VNU_JAR.is_file():
            problems.append(f"{VNU_JAR.relative_to(ROOT)} (npm ci)")
    if "axe" in needs and not AXE_JS.is_file():
        problems.append(f"{AXE_JS.relative_to(ROOT)} (npm ci)")
    return problems


@dataclass
class BrowserLog:
    dialogs: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)
    csp_violations: list = field(default_factory=list)
    outside_requests: list = field(default_factory=list)

    @classmethod
    def attach(cls, page):
        log = cls()

        def on_dialog(dialog):
            log.dialogs.append(f"{dialog.type} dialog: {dialog.message!r}")
            dialog.dismiss()

        def on_console(message):
            if message.type == "error":
                where = message.location.get("url", "")
                log.console_errors.append(f"console error: {message.text} ({where})")

        page.on("dialog", on_dialog)
        page.on("console", on_console)

        def on_request(request):
            # Everything the site shows comes from its own origin: a request
            # anywhere else is an external asset or an injected one.
            url = urlsplit(request.url)
            if url.scheme in {"http", "https", "ws", "wss"} and url.hostname not in LOCAL_HOSTS:
                log.outside_requests.append(f"request outside the site: {request.url}")

        page.on("pageerror", lambda error: log.page_errors.append(f"uncaught: {error}"))
        page.on("request", on_request)
        page.expose_function(
            "__sergesiteCspViolation", lambda text: log.csp_violations.append(f"CSP: {text}")
        )
        page.add_init_script(_CSP_LISTENER)
        return log

    @property
    def problems(self):
        return [
            *self.dialogs,
            *self.page_errors,
            *self.csp_violations,
            *self.outside_requests,
            *self.console_errors,
        ]


def validate_html(documents):
    """
    Run the Nu HTML Checker once over {name: html} and return {name: [error, ...]}.
    One run for every page, because the JVM takes seconds to start.
    """
    result = {name: [] for name in documents}
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for number, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"page-{number}.html"
            path.write_text(html, encoding="utf-8")
            files[path.name] = name
        paths = sorted(str(Path(folder) / file) for file in files)
        completed = subprocess.run(
            ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", *paths],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    try:
        messages = json.loads(completed.stdout)["messages"]
    except (ValueError, KeyError):
        raise RuntimeError(f"The Nu HTML Checker gave no report: {completed.stderr}") from None
    for message in messages:
        if message["type"] not in {"error", "non-document-error"}:
            continue
        name = files[Path(message.get("url", "")).name]
        line = message.get("lastLine", "?")
        extract = message.get("extract", "").strip()
        result[name].append(f"line {line}: {message['message']} [{extract}]")
    return result


def serious_accessibility_violations(page):
    """axe-core's violations of impact serious or critical on the page as it is now."""
    page.add_script_tag(path=str(AXE_JS))
    report = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in report["violations"]:
        if violation["impact"] not in {"serious", "critical"}:
            continue
        targets = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"])
        found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


# Finds layouts that collapsed without overflowing the page, which a check
# for horizontal scrolling misses: a text squeezed into a column a few pixels
# wide (a few characters a line, the page thousands of pixels tall), and a
# grid definition list whose values slipped into the label column.
_LAYOUT_PROBE = """
(limits) => {
  const problems = [];
  const name = (element) => {
    const text = element.textContent.replace(/\\s+/g, " ").trim().slice(0, 40);
    const classes = element.classList.length ? "." + [...element.classList].join(".") : "";
    return `<${element.localName}${classes}> "${text}"`;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (text.length < limits.characters) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    // Nothing is drawn for hidden text (display: none, a closed <details>).
    const boxes = [...range.getClientRects()].filter((box) => box.width > 0 && box.height > 0);
    if (!boxes.length) continue;
    const lines = new Set(boxes.map((box) => Math.round(box.top))).size;
    const left = Math.min(...boxes.map((box) => box.left));
    const width = Math.max(...boxes.map((box) => box.right)) - left;
    if (lines >= limits.lines && text.length / lines < limits.perLine) {
      problems.push(`${name(node.parentElement)}: ${text.length} characters on ${lines} lines `
        + `in ${Math.round(width)} px`);
    }
  }
  for (const list of document.querySelectorAll("dl")) {
    if (getComputedStyle(list).display !== "grid") continue;
    const terms = [...list.querySelectorAll(":scope > dt, :scope > div > dt")];
    const values = [...list.querySelectorAll(":scope > dd, :scope > div > dd")];
    if (!terms.length || !values.length) continue;
    const labelsEnd = Math.max(...terms.map((term) => term.getBoundingClientRect().right));
    for (const value of values) {
      if (value.getBoundingClientRect().left < labelsEnd - 1) {
        problems.push(`${name(value)} sits in the label column of ${name(list)}`);
      }
    }
  }
  const page = document.documentElement;
  if (page.scrollWidth > window.innerWidth) {
    problems.push(`the page is ${page.scrollWidth} px wide in a ${window.innerWidth} px window`);
  }
  return problems;
}
"""


def collapsed_layout(page, *, min_characters=12, min_lines=3, min_characters_per_line=6):
    """What looks collapsed on the page as it is now, as sentences; [] when nothing."""
    limits = {
        "characters": min_characters,
        "lines": min_lines,
        "perLine": min_characters_per_line,
    }
    return page.evaluate(_LAYOUT_PROBE, limits)
