"""Root conftest: the Bot API emulator fixtures (`emulator`, `emulator_app_builder`)."""

pytest_plugins = ["tests.emulator.fixtures", "tests.postgres_server"]
