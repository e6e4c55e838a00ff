"""Entry point: configure the page, draw the shared sidebar, route to the lesson's pages."""

import streamlit as st

from playground import server
from playground.ui import presenter
from playground.ui.i18n import t
from playground.ui.sidebar import dataset_chooser, dataset_line

st.set_page_config(page_title="Logistic Regression Playground",
                   page_icon=__file__.removesuffix("app.py") + "assets/icon.png", layout="wide")
server.set_up()  # once per process: playground/server.py

# (file, icon) in the lesson's order; titles come from locales/<lang>/nav.toml. Material icons, not
# emoji: an emoji icon makes Streamlit import its emoji table on a fresh server's first page.
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
dataset_line()
page.run()
