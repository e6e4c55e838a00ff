"""The loss landscape: exact surfaces of two parameters, slices of the real model, the counterexample."""
