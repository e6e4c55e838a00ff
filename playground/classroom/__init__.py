"""Class mode: a teacher's class, its students' answers and runs, shared by every copy of the app.

``codes`` makes join codes and teacher keys and cleans nicknames; ``store`` is the one module that
reads and writes class data (SQLAlchemy Core: SQLite by default, PostgreSQL when
$PLAYGROUND_DATABASE_URL is set). No Streamlit here.
"""
