def pytest_configure(config):
    config.addinivalue_line("markers", "load: starts the real server and drives many sessions at once")
