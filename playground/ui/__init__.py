"""The Streamlit side: pages, shared sidebar, session state and caches. Nothing else imports Streamlit."""
