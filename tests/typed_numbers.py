"""Find numbers typed by hand in a notebook's markdown: decimals (0.97) and percentages (97%).

A number in the prose must come from the run (a ``{glue:text}`` role), from math, or from code.
What is left after removing those, citations, links and fenced code is the prose a reader takes
as measured; a decimal or a percentage there is a typed number unless the cell's metadata
``book.typed_numbers`` maps the literal to a reason (a constant of the method, a published
figure quoted with its citation).
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^(`{3,}|~{3,})\s*(.*)$")
#: fenced blocks whose body is code or math, not prose (``{admonition}`` bodies are prose)
_CODE_DIRECTIVES = ("{code", "{math", "{glue", "{bibliography", "{raw")
_SUBSTITUTIONS = (
    (re.compile(r"\$\$.*?\$\$", re.S), " "),             # display math
    (re.compile(r"\{[\w:-]+\}`[^`]*`"), " "),            # roles: {glue:text}`x`, {cite}`y`, {math}`z`
    (re.compile(r"`[^`]*`"), " "),                       # inline code
    (re.compile(r"(?<!\\)\$[^$\n]+\$"), " "),            # inline math
    (re.compile(r"\]\([^)]*\)"), "]"),                   # link targets
    (re.compile(r"<[^>\n]+>"), " "),                     # HTML tags and autolinks
    (re.compile(r"https?://\S+"), " "),                  # bare URLs
    (re.compile(r"^\s*:[\w-]+:.*$", re.M), " "),         # directive options (:class: dropdown)
)
#: a percentage (97%, 97.5 %, 1,000%) or a decimal (0.97, .5); not part of a word or a version
TYPED_NUMBER = re.compile(r"(?<![\w.])(\d+(?:,\d{3})*(?:\.\d+)?\s?%|\d*\.\d+)(?![\w.]*\d)")


def prose(markdown: str) -> str:
    """The markdown a reader reads as text: without code, math, roles, links and directive options."""
    kept: list[str] = []
    fences: list[tuple[str, bool]] = []  # the open fences (nested directives), each with "skip its body"
    in_indented_code = False
    for line in markdown.splitlines():
        stripped = line.strip()
        skipping = any(skip for _, skip in fences)
        if fences and stripped and set(stripped) == {fences[-1][0][0]} and len(stripped) >= len(fences[-1][0]):
            fences.pop()
            continue
        opening = _FENCE.match(stripped)
        if opening and not skipping:
            info = opening.group(2).strip()
            fences.append((opening.group(1), not info.startswith("{") or info.startswith(_CODE_DIRECTIVES)))
            continue
        if skipping:
            continue
        if line.startswith("    ") and (in_indented_code or not kept or not kept[-1].strip()):
            in_indented_code = True  # an indented code block begins after a blank line
            continue
        in_indented_code = False
        kept.append(line)
    text = "\n".join(kept)
    for pattern, replacement in _SUBSTITUTIONS:
        text = pattern.sub(replacement, text)
    return text


def typed_numbers(markdown: str) -> list[str]:
    """Every decimal or percentage typed in the prose of one markdown cell, in order."""
    return [hit.replace(" ", "") for hit in TYPED_NUMBER.findall(prose(markdown))]
