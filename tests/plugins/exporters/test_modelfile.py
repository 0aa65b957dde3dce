"""The ``modelfile`` exporter: relative FROM, the Go chat template, stops, temperature, SYSTEM."""

from __future__ import annotations

import ast
import re

import pytest

from simplex_training.plugins.exporters.modelfile import GO_TEMPLATE, ModelfileExporter, plugin, render_modelfile
from simplex_training.tokenizer.chat import format_chat

# -- a tiny Go text/template interpreter (just the subset GO_TEMPLATE uses) --------------------
# Go is not installed here; this follows text/template semantics for: {{- / -}} whitespace
# trimming, range $i, $m := ..., if / else if / end, $v := and $v = (Go >= 1.11 assignment to an
# outer variable), $.Field / $v.Field, string literals with Go escapes, and eq / len / slice / printf.

_TOKEN = re.compile(r'\s*("(?:\\.|[^"\\])*"|:=|=|,|\(|\)|[$.\w]+)')


def _lex(src: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while (start := src.find("{{", pos)) >= 0:
        end = src.index("}}", start)
        body = src[start + 2:end]
        text = src[pos:start]
        if body.startswith("- "):
            text, body = text.rstrip(), body[2:]
        out.append(("text", text))
        trim_right = body.endswith(" -")
        out.append(("action", body[:-2] if trim_right else body))
        pos = end + 2
        if trim_right:
            rest = src[pos:]
            pos += len(rest) - len(rest.lstrip())
    out.append(("text", src[pos:]))
    return out


def _tokens(body: str) -> list[str]:
    toks, pos, body = [], 0, body.strip()
    while pos < len(body):
        m = _TOKEN.match(body, pos)
        assert m, body[pos:]
        toks.append(m.group(1))
        pos = m.end()
    return toks


def _parse(items: list[tuple[str, str]], i: int = 0, stop=("end",)) -> tuple[list, int, str]:  # noqa: ANN001
    nodes: list = []
    while i < len(items):
        kind, body = items[i]
        i += 1
        if kind == "text":
            nodes.append(("text", body))
            continue
        toks = _tokens(body)
        if toks[0] in ("end", "else"):
            return nodes, i, body.strip()
        if toks[0] == "if":
            branches, else_body = [(toks[1:], None)], []
            while True:
                body_nodes, i, term = _parse(items, i)
                branches[-1] = (branches[-1][0], body_nodes)
                if term == "end":
                    break
                if term.startswith("else if"):
                    branches.append((_tokens(term)[2:], None))
                else:
                    else_body, i, _ = _parse(items, i)
                    break
            nodes.append(("if", branches, else_body))
        elif toks[0] == "range":
            assign = toks.index(":=")
            body_nodes, i, _ = _parse(items, i)
            nodes.append(("range", [t for t in toks[1:assign] if t != ","], toks[assign + 1:], body_nodes))
        else:
            nodes.append(("action", toks))
    return nodes, i, ""


def _eval(toks: list[str], env: dict, dot):  # noqa: ANN001, ANN202
    def operand(j: int):  # noqa: ANN202
        t = toks[j]
        if t == "(":
            depth, k = 1, j + 1
            while depth:
                depth += {"(": 1, ")": -1}.get(toks[k], 0)
                k += 1
            return _eval(toks[j + 1:k - 1], env, dot), k
        if t.startswith('"'):
            return ast.literal_eval(t), j + 1
        if t.isdigit():
            return int(t), j + 1
        head, *fields = t.split(".")
        value = dot if head == "" else (env["$"] if head == "$" else env[head])
        for f in fields:
            value = value[f]
        return value, j + 1

    funcs = {"eq": lambda a, b: a == b, "len": len, "slice": lambda s, i: s[i:],
             "printf": lambda fmt, *a: fmt.replace("%s", "{}").format(*a)}
    if toks[0] in funcs:
        args, j = [], 1
        while j < len(toks):
            v, j = operand(j)
            args.append(v)
        return funcs[toks[0]](*args)
    value, j = operand(0)
    assert j == len(toks), toks
    return value


def _run(nodes: list, env: dict, dot, out: list[str]) -> None:  # noqa: ANN001
    for node in nodes:
        if node[0] == "text":
            out.append(node[1])
        elif node[0] == "action":
            toks = node[1]
            if len(toks) > 2 and toks[1] in (":=", "="):
                env[toks[0]] = _eval(toks[2:], env, dot)
            else:
                out.append(str(_eval(toks, env, dot)))
        elif node[0] == "if":
            for cond, body in node[1]:
                if _eval(cond, env, dot):
                    _run(body, env, dot, out)
                    break
            else:
                _run(node[2], env, dot, out)
        else:
            _, names, expr, body = node
            for k, item in enumerate(_eval(expr, env, dot)):
                env[names[0]], env[names[-1]] = k, item
                _run(body, env, item, out)


def render(src: str, data: dict) -> str:
    nodes, _, _ = _parse(_lex(src))
    out: list[str] = []
    _run(nodes, {"$": data}, data, out)
    return "".join(out)


def test_plugin_registers_the_exporter():
    registered = []
    plugin.register_exporters(registered.append)
    assert len(registered) == 1 and registered[0].name == "modelfile" and callable(registered[0].export)


def test_modelfile_beside_the_gguf(tmp_path):
    path = ModelfileExporter().export(tmp_path, tmp_path / "merged.gguf")
    assert path == tmp_path / "Modelfile"
    text = path.read_text()
    lines = text.splitlines()
    assert lines[0] == "FROM ./merged.gguf"
    assert 'PARAMETER stop "<|end|>"' in lines and 'PARAMETER stop "</s>"' in lines
    assert "PARAMETER temperature 0" in lines
    assert "SYSTEM" not in text
    assert f'TEMPLATE """{GO_TEMPLATE}"""' in text
    assert not list(tmp_path.glob(".*.tmp"))


def test_relative_paths_system_and_parameters(tmp_path):
    (tmp_path / "ollama").mkdir()
    path = ModelfileExporter().export(tmp_path / "ollama" / "Modelfile", "../models/m.gguf", system="Be terse.",
                                      temperature=0.7, parameters={"num_ctx": 512})
    text = path.read_text()
    assert text.startswith("FROM ../models/m.gguf\n")
    assert 'SYSTEM """Be terse."""' in text and "PARAMETER temperature 0.7" in text and "PARAMETER num_ctx 512" in text
    with pytest.raises(ValueError, match="triple-quote"):
        render_modelfile("./m.gguf", system='say """hi"""')
    with pytest.raises(ValueError, match="dedicated argument"):
        render_modelfile("./m.gguf", parameters={"stop": "x"})


@pytest.mark.parametrize("messages", [
    [{"role": "user", "content": "hello"}],
    [{"role": "system", "content": "Be terse."}, {"role": "user", "content": "2+2?"}],
    [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}, {"role": "user", "content": "c"}],
    [{"role": "system", "content": "S"}, {"role": "user", "content": "a"}, {"role": "assistant", "content": "b\nc"},
     {"role": "system", "content": "T"}, {"role": "user", "content": "d"}],
])
def test_go_template_renders_like_our_chat_format(messages):
    assert render(GO_TEMPLATE, {"Messages": [{"Role": m["role"], "Content": m["content"]} for m in messages]}) == \
        format_chat(messages, add_generation_prompt=True)
