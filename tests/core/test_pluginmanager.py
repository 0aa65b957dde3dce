"""Plugin loading: entry points, selection variables, failures, duplicates, pending hooks."""

import warnings

import pluggy
import pytest

from simplex_training.errors import PluginLoadError, RegistrationError
from simplex_training.pluginmanager import PluginHost, PluginLoadWarning

PLUGIN_SRC = '''
from simplex_training import hookimpl
from simplex_training.generator import Generator
from simplex_training.data import TrainingExample

class EchoGen(Generator):
    name = "echo_gen"
    task_type = "generation"
    def example(self, ctx):
        k = ctx.randint(0, 2)
        text = ctx.fake.sentence()
        return TrainingExample(prompt=f"Repeat: {text}", response=text, metadata={"reference": text, "phrasing": k})

class Plugin:
    @hookimpl
    def register_generators(self, register):
        register(EchoGen())

    @hookimpl
    def register_specialists(self, register):
        register({"id": "echo", "name": "Echo", "category": "demo", "description": "Repeats text",
                  "task_type": "generation", "lora_preset": "simple", "size_class": "small",
                  "generator": "echo_gen", "metrics": [{"name": "rouge_l", "threshold": 0.9}]})

plugin = Plugin()
'''


def test_builtin_specialists_come_from_entry_points():
    host = PluginHost()
    names = [n for n in host.infos if n.startswith("specialists.")]
    assert len(names) >= 61
    assert {host.infos[n].distribution for n in names} == {"simplex-training"}
    assert set(host.registry("specialists").names()) >= {n.split(".", 1)[1] for n in names}


def test_third_party_plugin_adds_a_specialist(make_dist):
    make_dist("simplex-training-echo", {"specialists.echo": "echo_plugin:plugin"}, {"echo_plugin": PLUGIN_SRC})
    host = PluginHost()
    assert host.infos["specialists.echo"].distribution == "simplex-training-echo"
    entry = host.registry("specialists")["echo"]
    assert entry.category == "demo"
    assert host.registry("specialists").plugin_of("echo") == "specialists.echo"
    assert host.registry("generators")["echo_gen"].name == "echo_gen"


def test_plugin_that_fails_to_import_warns_once_and_the_rest_load(make_dist):
    make_dist("simplex-training-broken", {"specialists.broken": "no_such_module_xyz:plugin"})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        host = PluginHost()
    msgs = [str(w.message) for w in caught if issubclass(w.category, PluginLoadWarning)]
    assert len(msgs) == 1
    assert "specialists.broken" in msgs[0] and "no_such_module_xyz" in msgs[0]
    assert "specialists.broken" in host.failed
    assert "sentiment_analysis" in host.registry("specialists")


def test_duplicate_entry_point_name_across_distributions_names_both(make_dist):
    make_dist("simplex-training-dup", {"specialists.sentiment_analysis": "echo_plugin:plugin"}, {"echo_plugin": PLUGIN_SRC})
    with pytest.raises(PluginLoadError) as err:
        PluginHost()
    msg = str(err.value)
    assert "specialists.sentiment_analysis" in msg
    assert "simplex-training-dup" in msg and "'simplex-training'" in msg


def test_duplicate_registered_name_names_both_plugins(make_dist):
    src = PLUGIN_SRC.replace('"id": "echo"', '"id": "sentiment_analysis"')
    make_dist("simplex-training-clash", {"specialists.clash": "clash_plugin:plugin"}, {"clash_plugin": src})
    host = PluginHost()
    with pytest.raises(RegistrationError) as err:
        host.registry("specialists")
    assert "specialists.clash" in str(err.value) and "specialists.sentiment_analysis" in str(err.value)


def test_misspelled_hook_is_caught(make_dist):
    src = "from simplex_training import hookimpl\n\n@hookimpl\ndef register_generatorz(register):\n    pass\n"
    make_dist("simplex-training-typo", {"generators.typo": "typo_plugin"}, {"typo_plugin": src})
    with pytest.raises(pluggy.PluginValidationError, match="register_generatorz"):
        PluginHost()


def test_load_plugins_selects_distributions(make_dist, monkeypatch):
    make_dist("simplex-training-echo", {"specialists.echo": "echo_plugin:plugin"}, {"echo_plugin": PLUGIN_SRC})
    monkeypatch.setenv("SIMPLEX_TRAINING_LOAD_PLUGINS", "simplex-training-echo")
    host = PluginHost()
    assert list(host.infos) == ["specialists.echo"]
    monkeypatch.setenv("SIMPLEX_TRAINING_LOAD_PLUGINS", "")
    assert PluginHost().infos == {}


def test_disable_plugins_by_entry_name_or_distribution(make_dist, monkeypatch):
    make_dist("simplex-training-echo", {"specialists.echo": "echo_plugin:plugin"}, {"echo_plugin": PLUGIN_SRC})
    monkeypatch.setenv("SIMPLEX_TRAINING_DISABLE_PLUGINS", "specialists.sentiment_analysis,simplex-training-echo")
    host = PluginHost()
    assert "specialists.sentiment_analysis" not in host.infos
    assert "specialists.echo" not in host.infos
    assert "specialists.aspect_sentiment" in host.infos


def test_register_and_unregister_a_local_plugin():
    from simplex_training import hookimpl

    class Extra:
        @hookimpl
        def register_layers(self, register):
            class Probe:
                name = "probe_layer"

            register(Probe)

        @staticmethod
        def register_gates(register):  # not marked as a hook: must never be called
            raise AssertionError("unmarked method called")

    host = PluginHost(load_entry_points=False)
    host.register(Extra(), "local.extra")
    assert "local.extra" in host.infos and "probe_layer" in host.registry("layers")
    host.registry("gates")  # the unmarked method is not a hook implementation
    host.unregister("local.extra")
    assert "local.extra" not in host.infos and "probe_layer" not in host.registry("layers")


def test_registry_rejects_invalid_catalog_dict_with_plugin_name():
    host = PluginHost(load_entry_points=False)

    class Bad:
        from simplex_training import hookimpl

        @hookimpl
        def register_specialists(self, register):
            register({"id": "bad", "task_type": "poetry"})

    host.register(Bad(), "specialists.bad")
    with pytest.raises(RegistrationError, match="specialists.bad") as err:
        host.registry("specialists")
    assert "task_type" in str(err.value)
