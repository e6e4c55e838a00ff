"""Logistic regression playground: the course's one-neuron network in NumPy.

The core modules (everything outside ``playground.ui``) are plain NumPy and
never import Streamlit.
"""

IMAGE_SIZE = 64
"""Side of the square RGB images the model sees, in pixels."""
