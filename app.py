"""Entry point: configure the page, draw the shared sidebar, route to the lesson's pages."""

import streamlit as st

from playground.server import warn_if_root
from playground.speed import use_one_blas_thread
from playground.ui import presenter
from playground.ui.process import freeze_startup_heap
from playground.ui.i18n import t
from playground.ui.sidebar import dataset_chooser

st.set_page_config(page_title="Logistic Regression Playground", page_icon=":material/pets:", layout="wide")
use_one_blas_thread()  # for the whole server process: see playground/speed.py
freeze_startup_heap()  # once: see playground/ui/process.py
warn_if_root()

# (file, icon) in the lesson's order; titles come from locales/<lang>/nav.toml. Material icons, not
# emoji: an emoji icon makes Streamlit import its emoji table, 80 ms of a fresh server's first page.
PAGES = [
    ("data", ":material/image:"),
    ("train", ":material/trending_down:"),
    ("landscape", ":material/landscape:"),
    ("graph", ":material/account_tree:"),
    ("speed", ":material/timer:"),
    ("predict", ":material/photo_camera:"),
]

page = st.navigation(
    [
        st.Page(f"playground/ui/pages/{name}.py", title=t(f"nav.{name}"), icon=icon, default=name == "data")
        for name, icon in PAGES
    ]
)
dataset_chooser()
presenter.toggle()
presenter.apply_style()
page.run()
