"""Functional correctness of generated code: pass@1 by running unit-test asserts in a sandbox.

Scope and reference
    pass@k (Chen et al., "Evaluating Large Language Models Trained on Code" (HumanEval), 2021) with
    one sample per problem, i.e. pass@1 = fraction of problems whose generated code passes *all*
    of the problem's tests. The code is taken from a ```` ```python ```` (or any) fenced block,
    else the whole response.

Isolation
    Each program runs in its own ``python -I`` subprocess (isolated mode: no user site, no
    ``PYTHON*`` variables, no script directory on ``sys.path``) in an empty temporary directory
    with an empty environment, stdin closed, a wall-clock timeout (default 5 s, the process group
    is killed), and ``resource`` limits set in ``preexec_fn``: address space (512 MiB), CPU
    seconds, written file size (1 MiB) and open files; stdout goes to a file (no pipe to fill).
    The ``-c`` harness carries the candidate code and the asserts JSON-encoded, runs the code, then
    each assert, and prints one result line behind a random marker; a test counts as passed only
    when it runs without an exception. This guards against accidents (endless loops, memory
    blow-ups), it is not a security boundary against hostile code.
"""

from __future__ import annotations

import json
import os
import re
import resource
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

DEFAULT_TIMEOUT = 5.0
MEMORY_LIMIT = 512 * 1024 * 1024
FILE_SIZE_LIMIT = 1024 * 1024

_FENCE_PY = re.compile(r"```\s*(?:python|py)\s*\n(.*?)(?:```|$)", re.IGNORECASE | re.DOTALL)
_FENCE_ANY = re.compile(r"```[^\n]*\n(.*?)(?:```|$)", re.DOTALL)

_HARNESS = """
import json, sys
_payload = json.loads({payload!r})
_marker = _payload["marker"]
_ns = {{"__name__": "__candidate__"}}
try:
    exec(compile(_payload["code"], "<candidate>", "exec"), _ns)
except BaseException as _exc:
    print(_marker + json.dumps({{"loaded": False, "error": type(_exc).__name__, "passed": 0}}), flush=True)
    raise SystemExit(0)
_passed = 0
_first_error = None
for _test in _payload["tests"]:
    try:
        exec(compile(_test, "<test>", "exec"), _ns)
        _passed += 1
    except BaseException as _exc:
        if _first_error is None:
            _first_error = type(_exc).__name__
print(_marker + json.dumps({{"loaded": True, "error": _first_error, "passed": _passed}}), flush=True)
"""


@dataclass(frozen=True)
class CodeResult:
    """Outcome of one program: ``passed`` is True only when every test passed."""

    passed: bool
    tests_passed: int
    tests_total: int
    error: str | None = None  # exception name, "Timeout", or "Crash"


def extract_code(text: str | None) -> str:
    if not text:
        return ""
    for fence in (_FENCE_PY, _FENCE_ANY):
        m = fence.search(text)
        if m and m.group(1).strip():
            return m.group(1)
    return text


def _limits(timeout: float) -> None:  # runs in the child between fork and exec: C calls only
    cpu = int(timeout) + 1
    for res, value in ((resource.RLIMIT_AS, MEMORY_LIMIT), (resource.RLIMIT_CPU, cpu),
                       (resource.RLIMIT_FSIZE, FILE_SIZE_LIMIT), (resource.RLIMIT_NOFILE, 64),
                       (resource.RLIMIT_CORE, 0)):
        try:
            resource.setrlimit(res, (value, value))
        except (ValueError, OSError):
            pass


class _Job:
    """One running program: process, its private directory and output file."""

    def __init__(self, code: str, tests: Sequence[str], timeout: float):
        self.total = len(tests)
        self.timeout = timeout
        self.marker = "@@RESULT-" + secrets.token_hex(8) + "@@"
        payload = json.dumps({"code": code, "tests": list(tests), "marker": self.marker})
        self.tmp = tempfile.TemporaryDirectory(prefix="simplex-code-")
        self.out_path = os.path.join(self.tmp.name, ".stdout")
        self.proc: subprocess.Popen[bytes] | None = None
        self.error: str | None = None
        self.started = time.monotonic()
        try:
            with open(self.out_path, "wb") as out:
                self.proc = subprocess.Popen(
                    [sys.executable, "-I", "-c", _HARNESS.format(payload=payload)], cwd=self.tmp.name,
                    env={"PATH": "/usr/bin:/bin"}, stdin=subprocess.DEVNULL, stdout=out,
                    stderr=subprocess.DEVNULL, preexec_fn=partial(_limits, timeout), start_new_session=True,
                )
        except OSError as exc:  # e.g. argument list too long
            self.error = type(exc).__name__

    def done(self) -> bool:
        if self.proc is None or self.proc.poll() is not None:
            return True
        if time.monotonic() - self.started > self.timeout:
            _kill(self.proc)
            self.error = "Timeout"
            return True
        return False

    def result(self) -> CodeResult:
        try:
            if self.error is not None or self.proc is None:
                return CodeResult(False, 0, self.total, self.error or "Crash")
            with open(self.out_path, encoding="utf-8", errors="replace") as fh:
                lines = fh.read().splitlines()
            data = None
            for line in lines:
                if line.startswith(self.marker):
                    try:
                        data = json.loads(line[len(self.marker):])
                    except json.JSONDecodeError:
                        data = None
            if data is None:
                return CodeResult(False, 0, self.total, "Crash")
            passed = int(data.get("passed", 0))
            ok = bool(data.get("loaded")) and passed == self.total > 0 and self.proc.returncode == 0
            return CodeResult(ok, passed, self.total, data.get("error"))
        finally:
            self.tmp.cleanup()


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the child leads its own session/process group
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()


def run_tests(code: str, tests: Sequence[str], timeout: float = DEFAULT_TIMEOUT) -> CodeResult:
    """Run ``code`` then each assert of ``tests`` in a sandboxed subprocess (see module doc)."""
    return pass_at_1([code], [tests], timeout, workers=1)[0]


def pass_at_1(codes: Sequence[str], tests: Sequence[Sequence[str]], timeout: float = DEFAULT_TIMEOUT,
              workers: int = 2) -> list[CodeResult]:
    """One :class:`CodeResult` per program, in order; at most ``workers`` subprocesses at once.

    No threads are used (``preexec_fn`` is only safe in a single-threaded parent).
    """
    if len(codes) != len(tests):
        raise ValueError(f"{len(codes)} programs but {len(tests)} test lists")
    results: list[CodeResult | None] = [None] * len(codes)
    pending = list(range(len(codes)))[::-1]
    running: dict[int, _Job] = {}
    try:
        while pending or running:
            while pending and len(running) < max(1, workers):
                i = pending.pop()
                if not codes[i].strip():
                    results[i] = CodeResult(False, 0, len(tests[i]), "Empty")
                    continue
                running[i] = _Job(codes[i], tests[i], timeout)
            for i in [i for i, job in running.items() if job.done()]:
                results[i] = running.pop(i).result()
            if running:
                time.sleep(0.005)
    finally:  # interrupted (KeyboardInterrupt...): leave no child behind
        for job in running.values():
            if job.proc is not None and job.proc.poll() is None:
                _kill(job.proc)
            job.tmp.cleanup()
    return [r if r is not None else CodeResult(False, 0, 0, "Crash") for r in results]
