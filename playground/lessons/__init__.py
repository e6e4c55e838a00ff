"""The computations behind one lesson's page each: the loss landscape, the computational graph, loops against vectors, prediction."""
