"""Entry point: configure the page, draw the shared sidebar, route to the lesson's pages."""

import streamlit as st

from playground.ui.sidebar import dataset_chooser

st.set_page_config(page_title="Logistic Regression Playground", page_icon="🐱", layout="wide")

PAGES = [
    st.Page("playground/ui/pages/data.py", title="Data", icon="🖼️", default=True),
]

page = st.navigation(PAGES)
dataset_chooser()
page.run()
