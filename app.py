"""Entry point: configure the page, draw the shared sidebar, route to the lesson's pages."""

import streamlit as st

from playground import server
from playground.ui import checkpoints, classroom, presenter
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
    ("classroom", ":material/groups:"),
]

pages = {name: st.Page(f"playground/ui/pages/{name}.py", title=t(f"nav.{name}"), icon=icon, default=name == "data")
         for name, icon in PAGES}
page = st.navigation(list(pages.values()))
dataset_chooser()
presenter.toggle()
checkpoints.progress()
classroom.follow_link()
classroom.sidebar()
checkpoints.follow_link(pages, next(name for name, p in pages.items() if p.url_path == page.url_path))
presenter.apply_style()
dataset_line()
page.run()
