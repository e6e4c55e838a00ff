"""No page loads pandas into the server.

pandas with pyarrow is about 70 MB of every server's memory (issue 7: ≤ 200 MB after one session),
and while one visitor's first run was importing it another visitor's chart could meet the
half-imported module (Plotly looks it up in sys.modules). Small tables are Markdown
(playground/ui/tables.py) instead. A fresh interpreter is needed: pytest's own plugins may have
imported pandas already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import COURSE_DIR, ROOT

VISIT_EVERY_PAGE = r"""
import json, sys
from pathlib import Path
from streamlit.testing.v1 import AppTest

root, photos = Path(sys.argv[1]), Path(sys.argv[2])
seen = {}

def visit(page, query=None, then=None):
    at = AppTest.from_file(str(root / "app.py"), default_timeout=120)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    at.radio(key="dataset_kind").set_value("course_folder").run()
    if page != "data":
        at.switch_page(f"playground/ui/pages/{page}.py").run()
    if then:
        then(at)
    seen[page + (f"?{query}" if query else "")] = {"exception": bool(at.exception), "pandas": "pandas" in sys.modules}

def two_photos_and_a_broken_file(at):
    files = [(n, (photos / n).read_bytes(), "image/jpeg") for n in ("my_image.jpg", "cat_in_iran.jpg")]
    files.append(("broken.png", b"not a picture", "image/png"))
    at.file_uploader(key="predict_files").set_value(files).run()

def surfaces(key):
    return lambda at: at.toggle(key=key).set_value(True).run()

visit("data", None)
visit("train", {"tab": "compare"})
visit("train", {"tab": "replay"})
visit("landscape", {"view": "exact"}, then=surfaces("ls_3d"))
visit("landscape", {"view": "slice"}, then=surfaces("ls_real_3d"))
visit("landscape", {"view": "counter"})
visit("graph", None)
visit("speed", None)
visit("predict", None, then=two_photos_and_a_broken_file)
print(json.dumps(seen))
"""


def test_no_page_imports_pandas(photos_dir):
    env = {**os.environ, "PLAYGROUND_DATA": str(COURSE_DIR)}
    out = subprocess.run([sys.executable, "-c", VISIT_EVERY_PAGE, str(ROOT), str(photos_dir)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert len(seen) == 9
    assert not [page for page, s in seen.items() if s["exception"]]
    first = next((page for page, s in seen.items() if s["pandas"]), None)  # sys.modules only grows
    assert first is None, f"pandas was imported by the {first} page"
