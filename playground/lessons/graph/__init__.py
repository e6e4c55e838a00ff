"""The computational graph of one example, forward and backward, and gradient checking."""
