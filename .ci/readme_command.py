"""Print the first code block of a README section (.ci/run runs the documented command)."""

import re
import sys

path, section = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as fh:
    text = fh.read()
match = re.search(rf"^## {re.escape(section)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
if not match:
    sys.exit(f"no section '## {section}' in {path}")
block = re.search(r"```(?:\w+)?\n(.*?)```", match.group(1), re.S)
if not block:
    sys.exit(f"no code block in section '## {section}'")
print(block.group(1).strip())
