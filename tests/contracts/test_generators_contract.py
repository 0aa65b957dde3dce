"""Every registered generator (built-in or third-party) keeps the generator contract."""

from simplex_training.testing import GeneratorContract


class TestEveryGenerator(GeneratorContract):
    generators = None  # all registered
