"""Run in a subprocess: load an export with Rhasspy's own NLU (rhasspynlu) and recognise sentences.

Reads {"dir": ..., "sentences": [...]} as JSON on stdin and prints, for each sentence,
[intent name or null, {slot: value}]. A subprocess because rhasspy-nlu pins
networkx 2.4, which needs numpy's removed aliases put back; that shim must not leak
into the test process.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

# networkx 2.4 (pinned by rhasspy-nlu 0.4.0, as in Rhasspy 2.5) still names these numpy aliases.
for _name, _value in {"float_": np.float64, "complex_": np.complex128, "int": int, "float": float,
                      "complex": complex, "bool": bool, "object": object, "str": str}.items():
    if _name not in np.__dict__:
        setattr(np, _name, _value)

import rhasspynlu  # noqa: E402
from rhasspynlu.slots import get_slot_replacements  # noqa: E402


def main() -> None:
    request = json.load(sys.stdin)
    folder = Path(request["dir"])
    intents = rhasspynlu.parse_ini(folder / "sentences.ini", sentence_transform=str.lower)
    replacements = get_slot_replacements(intents, slots_dirs=[folder / "slots"])
    graph = rhasspynlu.intents_to_graph(intents, replacements=replacements)
    out = []
    for sentence in request["sentences"]:
        found = rhasspynlu.recognize(sentence, graph, fuzzy=False)
        if not found:
            out.append([None, {}])
            continue
        best = found[0]
        out.append([best.intent.name if best.intent else None, {e.entity: e.value for e in best.entities}])
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
