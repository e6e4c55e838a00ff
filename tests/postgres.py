"""A throw-away PostgreSQL server for the tests: Debian's binaries, a temp folder, a Unix socket only.

PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` user (Debian's
package makes it); as anyone else it runs as them. ``running_postgres()`` yields a SQLAlchemy URL.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from playground.serve import free_port


def binaries() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb, or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    return found[-1].parent if found else None


def _as_owner(command: list[str], folder: Path) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{part}'" for part in command)]


@contextlib.contextmanager
def running_postgres():
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is missing: install Debian's postgresql (tests/install-and-run.sh does).")
    folder = Path(tempfile.mkdtemp(prefix="playground-pg-"))
    port = free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, log = folder / "data", folder / "log"
    run = dict(check=True, capture_output=True, text=True, timeout=120)
    try:
        subprocess.run(_as_owner([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "pg"], folder), **run)
        subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-l", str(log), "-o",
                                  f"-k {folder} -p {port} -c listen_addresses=", "start"], folder), **run)
        yield f"postgresql+psycopg://pg@/postgres?host={folder}&port={port}"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], folder),
                           capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
