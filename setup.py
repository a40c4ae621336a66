"""Build hook only (the metadata is in pyproject.toml): a wheel carries the built GOV.UK
Frontend assets, so a clean clone's wheel serves styled pages. They are built with npm and
Node.js (`npm ci`, then scripts/build-assets.mjs) when shortlist/static/ does not hold them."""

from __future__ import annotations

import shutil
import subprocess  # nosec B404 - npm and node, named, without a shell
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUILT = ROOT / "shortlist" / "static" / "app.css"


class BuildPyWithAssets(build_py):
    def run(self) -> None:
        if not BUILT.exists() and (ROOT / "scripts" / "build-assets.mjs").exists():
            npm, node = shutil.which("npm"), shutil.which("node")
            if not npm or not node:
                raise SystemExit("Building Shortlist needs Node.js and npm for its GOV.UK Frontend assets.")
            if not (ROOT / "node_modules" / "govuk-frontend").exists():
                subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)  # nosec B603
            subprocess.run([node, "scripts/build-assets.mjs"], cwd=ROOT, check=True)  # nosec B603
        super().run()


setup(cmdclass={"build_py": BuildPyWithAssets})
