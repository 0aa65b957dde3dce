"""Evaluation's generation with and without dropping finished rows, on trained adapters.

For each specialist, the test answers that ``simplex-train eval`` generates (the base alone, then the
specialist; the adapter's own test split, batch size and margin) are generated with
``COMPACT_AT = 0`` (never drop a finished row: every batch decodes until its longest answer ends)
and with the default, alternating the two for ``--repeat`` rounds in one process. Prints and
writes the faster time of each and whether every answer is the same::

    python benchmarks/generation_compaction.py --run runs sentiment_analysis table_qa --out gen.json

``--run`` is a ``train``/``train-all`` output directory holding ``ID/adapter.gguf``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("ids", nargs="+", help="specialist ids with an adapter in RUN/ID/adapter.gguf")
    ap.add_argument("--run", type=Path, default=Path("runs"))
    ap.add_argument("--repeat", type=int, default=2, help="rounds; each runs both ways, in alternating order")
    ap.add_argument("--out", type=Path, default=None, help="JSON file for the results")
    args = ap.parse_args()

    import simplex_training.model.generate as gen
    from simplex_training.cli.eval_cmd import test_examples
    from simplex_training.finetune.artifacts import load_adapter, load_base, resolve_base
    from simplex_training.finetune.environment import environment
    from simplex_training.finetune.evaluate import generate_outputs

    default = gen.COMPACT_AT
    config, weights, tok, _ = load_base(resolve_base(None))
    results = {}
    for sid in args.ids:
        model, meta = load_adapter(args.run / sid / "adapter.gguf", config, weights)
        examples, _, _, cfg = test_examples(sid, meta, None, None)
        times: dict[float, list[float]] = {0.0: [], default: []}
        answers: dict[float, list[list[str]]] = {}
        for rnd in range(args.repeat):
            for at in (0.0, default) if rnd % 2 == 0 else (default, 0.0):
                gen.COMPACT_AT = at
                t0 = time.perf_counter()
                run = []
                for enabled in (False, True):
                    model.set_enabled(enabled)
                    run.append(generate_outputs(model, tok, examples, margin=cfg.new_tokens_margin,
                                                batch_size=cfg.eval_batch_size)[0])
                model.set_enabled(True)
                times[at].append(time.perf_counter() - t0)
                if answers.setdefault(at, run) != run:
                    raise SystemExit(f"{sid}: the same settings generated different answers")
        gen.COMPACT_AT = default
        results[sid] = {"prompts": len(examples), "never_s": min(times[0.0]), "compact_s": min(times[default]),
                        "speedup": min(times[0.0]) / min(times[default]), "identical": answers[0.0] == answers[default]}
        r = results[sid]
        print(f"{sid:26s} {r['never_s']:7.2f} s -> {r['compact_s']:7.2f} s  {r['speedup']:.2f}x  "
              f"answers {'identical' if r['identical'] else 'DIFFER'}", flush=True)
    if args.out:
        doc = {"compact_at": default, "repeat": args.repeat, "environment": environment(), "results": results}
        args.out.write_text(json.dumps(doc, indent=2) + "\n")


if __name__ == "__main__":
    main()
