"""gdviz.Explorer's traitlets refuse what the core refuses, in the core's words.

scripts/widget.mjs checked a list of values for every number setting with the core itself
(Visualizer.check_value, and set_batch_size on the first preset's points) and wrote each
verdict into gdviz/static/settings.json; here each value goes through the Explorer's traitlet:
the same values must pass, and the others must raise traitlets.TraitError with the core's very
message. Also: every setting of the table is a traitlet of Explorer, with the page's default.

    .venv/bin/python tests/notebook/settings.py     (run by tests/notebook/explorer.spec.js)
"""

import json
import pathlib
import sys

import traitlets

import gdviz
from gdviz import explorer

table = json.loads((pathlib.Path(explorer.__file__).parent / "static" / "settings.json").read_text(encoding="utf-8"))
widget = gdviz.Explorer()  # the first preset: the batch size's range is [1, samples_n]
assert widget.n == table["samples_n"], (widget.n, table["samples_n"])

passed, failed = 0, []
for spec in table["settings"]:
    name = spec["trait"]
    trait = gdviz.Explorer.class_traits().get(name)
    if trait is None or not trait.metadata.get("sync"):
        failed.append(f"{name}: not a synced traitlet of Explorer")
        continue
    if getattr(widget, name) != spec["default"]:
        failed.append(f"{name}: default {getattr(widget, name)!r}, the page's is {spec['default']!r}")
    passed += 1

for name, samples in table["samples"].items():
    for value, message in samples:
        value = float(value) if isinstance(value, str) else value
        try:
            getattr(gdviz.Explorer, name).validate(widget, value)
            got = None
        except traitlets.TraitError as error:
            got = str(error)
        if got == message:
            passed += 1
        else:
            failed.append(f"{name} = {value!r}: Python says {got!r}, the core {message!r}")

for line in failed:
    print("FAILED", line)
print(f"settings: {passed} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
