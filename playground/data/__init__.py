"""Datasets: the built-in generator, the course's HDF5 pair, folders and zips of images."""
