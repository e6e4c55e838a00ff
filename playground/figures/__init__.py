"""Pure figure builders: arrays in, a Plotly Figure out. No Streamlit here."""
