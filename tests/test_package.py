"""Shortlist installs as a package: a wheel built from the repository runs outside it, with
its migrations, demo campaigns, templates and built assets inside."""

from __future__ import annotations

import os
import socket
import subprocess  # nosec B404 - the project's own build and commands
import sys
import sysconfig
import time
import tomllib
import urllib.request
import zipfile
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_listed_for_the_wheel() -> None:
    """pyproject.toml lists the packages (two of them mapped from top-level folders): a new
    sub-package that is not listed would be missing from the installed app."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "shortlist").rglob("__init__.py")}
    assert listed == found | {"shortlist.migrations", "shortlist.seeds"}, (
        "add the new package to [tool.setuptools] packages in pyproject.toml")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 300) -> str:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)  # nosec B603
    assert result.returncode == 0, f"{' '.join(args)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def test_a_wheel_installs_and_runs_outside_the_repository(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "SHORTLIST_", "FLASK_"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(ROOT)],
         cwd=tmp_path, env=env)
    (wheel,) = wheels.glob("shortlist-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("shortlist/wsgi.py", "shortlist/migrations/env.py", "shortlist/migrations/alembic.ini",
                     "shortlist/seeds/users.yaml", "shortlist/static/app.css", "shortlist/templates/base.html",
                     "shortlist/library/data/nhs_profiles_arts_therapists.json", "shortlist/data/common-passwords.txt"):
        assert required in names, f"{required} is not in the wheel"
    assert any(n.startswith("shortlist/migrations/versions/") for n in names)
    assert not any(n.startswith(("tests/", "bench/")) for n in names)

    # A fresh virtual environment that borrows this one's dependencies (a path, not its .pth
    # files, so the editable checkout is not on it) and installs the wheel itself.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path, env=env)
    (site,) = (venv / "lib").glob("python3*/site-packages")
    (site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", str(wheel)],
         cwd=tmp_path, env=env)
    where = _run([str(python), "-c", "import shortlist; print(shortlist.__file__)"], cwd=tmp_path, env=env)
    assert where.strip().startswith(str(site)), where

    run_dir = tmp_path / "elsewhere"
    run_dir.mkdir()
    env.update(DATABASE_URL=f"sqlite:///{run_dir / 'shortlist.db'}", SHORTLIST_INSTANCE_PATH=str(run_dir / "instance"))
    shortlist = str(venv / "bin" / "shortlist")
    _run([shortlist, "db", "upgrade"], cwd=run_dir, env=env)
    demo = _run([shortlist, "demo"], cwd=run_dir, env=env, timeout=600)
    assert "BCT-AP-01" in demo

    port = _free_port()
    server = subprocess.Popen(  # nosec B603
        [str(python), "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "shortlist.wsgi:app"],
        cwd=run_dir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=5) as response:  # nosec B310
                    assert response.status == 200
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        with urllib.request.urlopen(f"{base}/sign-in", timeout=10) as response:  # nosec B310
            page = response.read().decode()
        assert "Sign in" in page and "/assets/app.css" in page
        with urllib.request.urlopen(f"{base}/assets/app.css", timeout=10) as response:  # nosec B310
            assert response.status == 200 and len(response.read()) > 10_000
    finally:
        server.terminate()
        server.wait(timeout=30)
