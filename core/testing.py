"""Contract tests and fixtures for plugin authors (an opt-in pytest plugin).

In a plugin package's tests::

    # conftest.py
    pytest_plugins = ["simplex_training.testing"]

    # test_contracts.py
    from simplex_training.testing import GeneratorContract

    class TestMyGenerators(GeneratorContract):
        generators = ["my_specialist"]      # or None: every registered generator

Each test method of :class:`GeneratorContract` runs once per generator named in ``generators``.
simplex-training runs the same class over every registered generator in its own suite, so a
third-party generator is held to exactly the rules the built-ins keep (``docs/plugins.md``).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from simplex_training.catalog import CatalogEntry
from simplex_training.data import TrainingExample
from simplex_training.generator import DIFFICULTIES, Generator
from simplex_training.pluginmanager import PluginHost, get_host

CONFIDENCE_RE = re.compile(r"\[confidence: (\d\.\d\d)\]")
SAMPLE_SIZE = 1000
SAMPLE_SEED = 7

_samples: dict[tuple[str, int, int], list[TrainingExample]] = {}


def sample(gen: Generator, n: int = SAMPLE_SIZE, seed: int = SAMPLE_SEED) -> list[TrainingExample]:
    """Generated examples, cached per (generator, n, seed) for the test session."""
    key = (gen.name, n, seed)
    if key not in _samples:
        _samples[key] = list(gen.generate(n, seed=seed))
    return _samples[key]


def sample_each_difficulty(gen: Generator, n: int, seed: int, **options: Any) -> list[TrainingExample]:
    """``n`` examples at each difficulty, easy first (for a generator's own content tests);
    ``options`` go to :meth:`Generator.generate` (``locale``)."""
    return [ex for d in DIFFICULTIES for ex in gen.generate(n, seed=seed, difficulty=d, **options)]


def norm_text(value: Any) -> str:
    """Lower-case, whitespace-collapsed string form used to check that gold values are grounded."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).lower().split())


def flatten_fields(fields: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for key, value in fields.items():
        if isinstance(value, dict):
            yield from ((f"{key}.{k}", v) for k, v in flatten_fields(value))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                if isinstance(v, dict):
                    yield from ((f"{key}[{i}].{k}", vv) for k, vv in flatten_fields(v))
                else:
                    yield f"{key}[{i}]", v
        else:
            yield key, value


def expected_calibration_error(confidences: list[float], correct: list[bool], bins: int = 10) -> float:
    """ECE with equal-width bins (lo, hi]; confidence 0 falls in the first bin."""
    total, ece = len(confidences), 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(confidences) if (lo < c <= hi) or (b == 0 and c == 0.0)]
        if idx:
            acc = sum(correct[i] for i in idx) / len(idx)
            conf = sum(confidences[i] for i in idx) / len(idx)
            ece += len(idx) / total * abs(acc - conf)
    return ece


def _entry_for(host: PluginHost, gen_name: str) -> CatalogEntry | None:
    for item in host.registry("specialists").items():
        if item.obj.generator == gen_name:
            return item.obj
    return None


class GeneratorContract:
    """The rules every generator keeps; subclass it and set ``generators``."""

    generators: ClassVar[list[str] | None] = None  # None = every registered generator
    max_prompt_chars: ClassVar[int] = 1500
    max_response_chars: ClassVar[int] = 800

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "generator_name" in metafunc.fixturenames:
            names = self.generators if self.generators is not None else get_host().registry("generators").names()
            metafunc.parametrize("generator_name", sorted(names))

    @pytest.fixture
    def gen(self, generator_name: str) -> Generator:
        return get_host().registry("generators")[generator_name]

    @pytest.fixture
    def entry(self, generator_name: str) -> CatalogEntry | None:
        return _entry_for(get_host(), generator_name)

    @pytest.fixture
    def task_type(self, gen: Generator, entry: CatalogEntry | None) -> str:
        return entry.task_type.value if entry else gen.task_type

    # -- basic shape ---------------------------------------------------------------------------

    def test_declares_name_and_task_type(self, gen: Generator, entry: CatalogEntry | None) -> None:
        assert gen.name and isinstance(gen.name, str)
        assert gen.task_type in {"classification", "extraction", "generation", "reasoning", "calibration"}
        if entry is not None:
            assert gen.task_type == entry.task_type.value, "generator task_type differs from its catalog entry"

    def test_streams(self, gen: Generator) -> None:
        it = gen.generate(3, seed=1)
        assert iter(it) is it, "generate() must return an iterator, not a list"
        first = next(it)
        assert isinstance(first, TrainingExample)
        assert len(list(it)) == 2

    def test_lengths(self, gen: Generator) -> None:
        for ex in sample(gen):
            assert len(ex.prompt) <= self.max_prompt_chars, ex.prompt
            assert len(ex.response) <= self.max_response_chars, ex.response

    def test_json_serializable(self, gen: Generator) -> None:
        for ex in sample(gen)[:50]:
            back = json.loads(ex.to_json())
            assert back == {"prompt": ex.prompt, "response": ex.response, "metadata": ex.metadata}

    def test_difficulty_and_locale(self, gen: Generator) -> None:
        for difficulty in ("easy", "medium", "hard"):
            assert len(list(gen.generate(5, seed=3, difficulty=difficulty))) == 5
        assert len(list(gen.generate(5, seed=3, locale="de_DE"))) == 5
        with pytest.raises(ValueError):
            list(gen.generate(1, difficulty="impossible"))

    # -- determinism and variety ---------------------------------------------------------------

    def test_same_seed_same_bytes(self, gen: Generator) -> None:
        a = [ex.to_json() for ex in gen.generate(200, seed=11)]
        b = [ex.to_json() for ex in gen.generate(200, seed=11)]
        assert a == b

    def test_other_seed_other_data(self, gen: Generator) -> None:
        a = [ex.prompt for ex in gen.generate(50, seed=1)]
        b = [ex.prompt for ex in gen.generate(50, seed=2)]
        assert a != b

    def test_unique_prompts(self, gen: Generator) -> None:
        prompts = [ex.prompt for ex in sample(gen)]
        assert len(set(prompts)) >= 0.95 * len(prompts)

    def test_several_phrasings(self, gen: Generator) -> None:
        used = Counter(ex.metadata.get("phrasing") for ex in sample(gen))
        assert None not in used, "every example records metadata['phrasing'] (the template index)"
        assert len(used) >= 3, f"only {len(used)} phrasings used"
        assert len(used) >= gen.phrasings, f"declares {gen.phrasings} phrasings, uses {len(used)}"

    # -- gold metadata -------------------------------------------------------------------------

    def test_gold_metadata(self, gen: Generator, task_type: str, entry: CatalogEntry | None) -> None:
        check = getattr(self, f"_check_{task_type}")
        for ex in sample(gen):
            assert ex.metadata.get("specialist") == gen.name
            check(ex, entry)

    def _check_classification(self, ex: TrainingExample, entry: CatalogEntry | None) -> None:
        label = ex.metadata.get("label")
        assert isinstance(label, str) and label, "classification examples carry metadata['label']"
        if entry is not None:
            assert label in entry.labels
        assert label in ex.response, f"response does not state the gold label '{label}': {ex.response!r}"

    def _check_extraction(self, ex: TrainingExample, entry: CatalogEntry | None) -> None:
        fields, answer = ex.metadata.get("fields"), ex.metadata.get("answer")
        assert fields or answer, "extraction examples carry metadata['fields'] (dict) or ['answer'] (QA)"
        prompt, response = norm_text(ex.prompt), norm_text(ex.response)
        derived = set(ex.metadata.get("derived", []))
        if fields:
            assert isinstance(fields, dict)
            for key, value in flatten_fields(fields):
                top = key.split(".")[0].split("[")[0]
                if top not in derived and key not in derived:
                    assert norm_text(value) in prompt, f"field {key}={value!r} is not in the prompt (re-drawn?)"
                assert norm_text(value) in response, f"field {key}={value!r} is not in the response"
        if answer:
            assert norm_text(answer) in prompt, f"extractive answer {answer!r} is not in the prompt"
            assert norm_text(answer) in response

    def _check_generation(self, ex: TrainingExample, entry: CatalogEntry | None) -> None:
        ref = ex.metadata.get("reference")
        assert isinstance(ref, str) and ref.strip(), "generation examples carry metadata['reference']"
        assert CONFIDENCE_RE.sub("", ex.response).strip() == ref.strip(), "reference must be the response"

    def _check_reasoning(self, ex: TrainingExample, entry: CatalogEntry | None) -> None:
        answer = ex.metadata.get("answer")
        assert answer is not None and str(answer).strip(), "reasoning examples carry metadata['answer']"
        assert norm_text(answer) in norm_text(ex.response), f"response does not state the answer {answer!r}"
        if "numeric_answer" in ex.metadata:
            num = ex.metadata["numeric_answer"]
            assert isinstance(num, (int, float)) and math.isfinite(num)

    def _check_calibration(self, ex: TrainingExample, entry: CatalogEntry | None) -> None:
        conf, correct = ex.metadata.get("confidence"), ex.metadata.get("correct")
        assert isinstance(conf, float) and 0.0 <= conf <= 1.0, "calibration examples carry metadata['confidence']"
        assert isinstance(correct, bool), "calibration examples carry metadata['correct']"
        assert ex.metadata.get("answer") is not None

    def test_labels_balanced(self, gen: Generator, task_type: str, entry: CatalogEntry | None) -> None:
        if task_type != "classification":
            pytest.skip("not a classification generator")
        counts = Counter(ex.metadata["label"] for ex in sample(gen))
        labels = entry.labels if entry else list(gen.labels)
        assert tuple(labels) == tuple(gen.labels), "generator labels differ from the catalog entry's"
        assert set(counts) == set(labels), f"labels never produced: {set(labels) - set(counts)}"
        assert max(counts.values()) <= 1.5 * min(counts.values()), counts

    def test_confidence_tags(self, gen: Generator, entry: CatalogEntry | None) -> None:
        states = entry.states_confidence if entry else any(CONFIDENCE_RE.search(e.response) for e in sample(gen))
        for ex in sample(gen):
            found = CONFIDENCE_RE.findall(ex.response)
            if states:
                assert len(found) == 1, f"expected one [confidence: 0.xx] tag: {ex.response!r}"
                assert abs(float(found[0]) - ex.metadata["confidence"]) < 0.006
            else:
                assert not found, "this specialist does not state confidence"

    def test_stated_confidence_is_calibrated(self, gen: Generator, task_type: str) -> None:
        if task_type != "calibration":
            pytest.skip("not a calibration generator")
        exs = sample(gen)
        ece = expected_calibration_error([e.metadata["confidence"] for e in exs], [e.metadata["correct"] for e in exs])
        assert ece <= 0.05, f"stated confidence does not match how often the answer is right (ECE {ece:.3f})"


# -- fixtures for plugin authors ---------------------------------------------------------------


@pytest.fixture
def simplex_host() -> PluginHost:
    """The process-wide plugin host (entry points loaded)."""
    return get_host()


@pytest.fixture
def register_plugin(simplex_host: PluginHost) -> Iterator[Any]:
    """Register a plugin object for one test: ``register_plugin(obj, "name")``; removed afterwards."""
    added: list[str] = []

    def _register(obj: object, name: str) -> PluginHost:
        simplex_host.register(obj, name=name)
        added.append(name)
        return simplex_host

    yield _register
    for name in added:
        simplex_host.unregister(name)
