"""Which Chromium the browser tests drive, and installing one where there is none.

The tests take `/usr/bin/chromium` when it exists, otherwise Playwright's own build.
`python -m tests.browser.chromium --install` (run by `make test`) checks that one of them
starts; if none does, it installs Playwright's build where the network allows it, else the
system's package (Debian/Ubuntu, as root), else it stops with one line saying what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]
INSTALL_TIMEOUT_SECONDS = 600


def executable_path() -> str | None:
    """The browser to launch: the system's when there is one, else None (Playwright's own)."""
    return str(SYSTEM_CHROMIUM) if SYSTEM_CHROMIUM.exists() else None


def starts() -> bool:
    """Whether a headless Chromium starts with what is installed now."""
    from playwright.sync_api import Error, sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable_path(), args=LAUNCH_ARGS, headless=True
            )
            browser.close()
    except Error:
        return False
    return True


def _run(command: list[str], **options) -> bool:
    """Run an install step; its output is shown only when it fails, in one line."""
    print("browser tests: " + " ".join(command), flush=True)
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT_SECONDS,
            check=False,
            **options,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        print(f"browser tests: failed: {error}", flush=True)
        return False
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines() or ["no output"]
        print(f"browser tests: failed: {lines[0][:200]}", flush=True)
    return result.returncode == 0


def install_with_playwright() -> bool:
    playwright = Path(sys.executable).with_name("playwright")
    return _run([str(playwright), "install", "chromium"]) and starts()


def install_system_package() -> bool:
    """Debian's or Ubuntu's package, which puts the browser at /usr/bin/chromium."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return False
    quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # --reinstall: the package may be registered as installed with its files gone.
    return (
        _run(["apt-get", "update", "-qq"], env=quiet)
        and _run(["apt-get", "install", "-y", "-qq", "--reinstall", "chromium"], env=quiet)
        and starts()
    )


def ensure_installed() -> int:
    if starts():
        return 0
    print("browser tests: no Chromium found, installing one", flush=True)
    if install_with_playwright() or install_system_package():
        print("browser tests: Chromium installed", flush=True)
        return 0
    print(
        "browser tests need Chromium: install Debian's package (apt-get install chromium) "
        "or Playwright's build (.venv/bin/playwright install chromium)",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    if sys.argv[1:] != ["--install"]:
        sys.exit("usage: python -m tests.browser.chromium --install")
    sys.exit(ensure_installed())
