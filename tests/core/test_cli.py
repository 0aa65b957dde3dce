"""The simplex-train command line, run as a user runs it (a subprocess of the console script)."""

import json
import os
import subprocess
import sys
import time

import pytest


def run(*args, check=True, env=None):
    proc = subprocess.run(
        [sys.executable, "-c", "from simplex_training.cli import main; main()", *args],
        capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=300,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}")
    return proc


def test_help_is_fast_and_lists_commands():
    start = time.perf_counter()
    proc = run("--help")
    assert time.perf_counter() - start < 5  # generous bound for a loaded CI machine; see benchmarks for the real figure
    for cmd in ("plugins", "list", "show", "generate"):
        assert cmd in proc.stdout


def test_help_imports_nothing_heavy():
    code = (
        "import sys; from simplex_training.cli import cli\n"
        "try:\n    cli.main(['--help'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('numpy', 'numba', 'faker', 'gguf') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip().splitlines()[-1]
    assert out == "HEAVY="


def test_plugins_json_lists_specialists_from_entry_points():
    rows = json.loads(run("plugins", "--json").stdout)
    spec = [r for r in rows if r["kind"] == "specialists"]
    assert len(spec) >= 61
    assert all(r["distribution"] == "simplex-training" and r["version"] for r in spec)
    assert all({"register_specialists", "register_generators"} <= set(r["hooks"]) for r in spec)


def test_list_json_and_category_filter():
    rows = json.loads(run("list", "--json").stdout)
    assert len(rows) >= 61 and len({r["category"] for r in rows}) >= 17
    only = json.loads(run("list", "--category", "sentiment", "--json").stdout)
    assert {r["category"] for r in only} == {"sentiment"} and len(only) == 3


def test_show_prints_two_samples():
    proc = run("show", "sentiment_analysis")
    assert proc.stdout.count("--- sample") == 2
    data = json.loads(run("show", "sentiment_analysis", "--json").stdout)
    assert len(data["samples"]) == 2 and data["plugin"] == "specialists.sentiment_analysis"


def test_show_prints_an_entrys_training_defaults_only_when_it_has_some():
    assert "training: token_budget=1000000" in run("show", "clinical_ner").stdout
    assert "training:" not in run("show", "sentiment_analysis").stdout
    data = json.loads(run("show", "clinical_ner", "--json").stdout)
    assert data["training"] == {"token_budget": 1000000} and data["lora"]["rank"] == 16


@pytest.mark.parametrize("args", [("show", "sentimnt_analysis"), ("generate", "sentimnt_analysis", "-n", "5")])
def test_unknown_id_exits_2_with_suggestion(args):
    proc = run(*args, check=False)
    assert proc.returncode == 2
    assert "unknown specialist 'sentimnt_analysis'" in proc.stderr
    assert "sentiment_analysis" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unknown_category_exits_2():
    proc = run("list", "--category", "sentimnt", check=False)
    assert proc.returncode == 2 and "did you mean sentiment" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("generate", "sentiment_analysis", "-n", "zero"),
        ("generate", "sentiment_analysis", "-n", "0"),
        ("generate", "sentiment_analysis", "--split", "0.9,0.9,0.1", "-o", "x.jsonl"),
        ("generate", "sentiment_analysis", "--split", "0.8,0.1,0.1"),
        ("generate", "sentiment_analysis", "--difficulty", "extreme"),
        ("generate", "sentiment_analysis", "--locale", "xx_YY"),
        ("generate",),
        ("list", "--bogus"),
        ("nosuchcommand",),
    ],
)
def test_bad_flags_are_usage_errors_not_tracebacks(args, tmp_path):
    proc = run(*args, check=False)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "Error" in proc.stderr or "Usage" in proc.stderr


def test_generate_is_deterministic_and_has_gold(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    run("generate", "sentiment_analysis", "-n", "300", "--seed", "7", "-o", str(a))
    run("generate", "sentiment_analysis", "-n", "300", "--seed", "7", "-o", str(b), env={"PYTHONHASHSEED": "123"})
    assert a.read_bytes() == b.read_bytes()
    lines = [json.loads(x) for x in a.read_text().splitlines()]
    assert len(lines) == 300
    assert all(x["metadata"]["label"] in x["response"] for x in lines)


def test_generate_to_stdout_and_split_files(tmp_path):
    out = run("generate", "aspect_sentiment", "-n", "20", "--seed", "1").stdout.splitlines()
    assert len(out) == 20
    run("generate", "aspect_sentiment", "-n", "100", "--seed", "1", "-o", str(tmp_path / "d.jsonl"), "--split", "0.8,0.1,0.1")
    sizes = {p.name: len(p.read_text().splitlines()) for p in tmp_path.iterdir()}
    assert sizes == {"d.train.jsonl": 80, "d.val.jsonl": 10, "d.test.jsonl": 10}
    prompts = [json.loads(line)["prompt"] for p in tmp_path.iterdir() for line in p.read_text().splitlines()]
    assert len(set(prompts)) == 100  # no prompt in two splits


def test_generate_killed_leaves_no_partial_file(tmp_path):
    target = tmp_path / "big.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-c", "from simplex_training.cli import main; main()", "generate", "sentiment_analysis",
         "-n", "2000000", "-o", str(target)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline and not any(p.name.startswith(".big.jsonl") for p in tmp_path.iterdir()):
        time.sleep(0.1)
    time.sleep(0.5)
    proc.kill()
    proc.wait()
    assert not target.exists()


CMD_PLUGIN = '''
import click
from simplex_training import hookimpl

@hookimpl
def register_commands(cli):
    @cli.command(name="hello")
    @click.argument("who")
    def hello(who):
        """Say hello."""
        click.echo(f"hello {who}")
'''


def test_plugin_commands_appear_in_help_and_run(make_dist):
    root = make_dist("simplex-training-hello", {"commands.hello": "hello_plugin"}, {"hello_plugin": CMD_PLUGIN})
    env = {"PYTHONPATH": str(root) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    assert "hello" in run("--help", env=env).stdout
    assert run("hello", "world", env=env).stdout.strip() == "hello world"


def test_commands_from_other_plugin_kinds_resolve_by_name(make_dist):
    root = make_dist("simplex-training-hi", {"specialists.hi": "hi_plugin"}, {"hi_plugin": CMD_PLUGIN})
    env = {"PYTHONPATH": str(root) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    assert run("hello", "there", env=env).stdout.strip() == "hello there"
