"""A photo classified and explained: the trained model as a file, and what each pixel contributes."""
