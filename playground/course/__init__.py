"""The course's formulas: the sigmoid, the losses and the model, as the course writes them."""
