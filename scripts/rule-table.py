#!/usr/bin/env python3
"""Regenerates the README's table of data-defined message rules from data/red_flags.toml
(between the text-rules markers). tests/api.rs checks that the README lists every rule."""
import pathlib
import re
import tomllib

root = pathlib.Path(__file__).resolve().parent.parent
rules = tomllib.loads((root / "data/red_flags.toml").read_text())["rule"]
rows = []
for r in rules:
    extra = ""
    if r.get("requires"):
        extra += f" Fires only when the message also has a {r['requires']}."
    if r.get("min_distinct"):
        extra += f" Needs {r['min_distinct']} distinct cues."
    rows.append(f"| `{r['id']}` | {r['severity']} | {r['message']}{extra} |")
readme = root / "README.md"
text = readme.read_text()
text = re.sub(
    r"(<!-- text-rules:start -->\n).*?(\n<!-- text-rules:end -->)",
    lambda m: m.group(1) + "| id | severity | meaning |\n|---|---|---|\n" + "\n".join(rows) + m.group(2),
    text,
    flags=re.S,
)
readme.write_text(text)
