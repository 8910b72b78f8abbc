"""A small reader of the SAS guide's FSH (FHIR Shorthand) for the rules our tests check.

Profiles: `* path min..max` (cardinality), `* path = value` (assigned value: a pattern for a
coded element), `* path contains a 1..* and b 0..*` (slice cardinalities), `* path obeys inv`
with `Invariant: inv` / `Expression: "value.matches('…')"`, `* ^url = "…"`. Caret rules other
than `^url`, bindings (`from`), type constraints (`only`) and flags are ignored.
Instances: `* path = value` assignments (indexes `[0]`, `[+]`, `[=]`, named slices) turned
into JSON, with the assigned values of the named slices they use (as SUSHI fills them).

`check(resource, profile, slices)` returns the violations of `resource` (a dict) against the
profile's rules; `slices` maps a slice name to a predicate telling whether an element belongs
to it (rules on slices not in the map are not checked and are listed in `Report.unchecked`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent / "fsh"
CANONICAL = "https://interop.esante.gouv.fr/ig/fhir/sas"
# `1..1`, `0..*`, `..1` (max only), `1..` (min only, the max kept from the parent profile)
_CARD = re.compile(r"^(?P<path>\S+)\s+(?P<min>\d*)\.\.(?P<max>\d+|\*)?(\s+MS)?\s*$")
_ASSIGN = re.compile(r"^(?P<path>\S+)\s*=\s*(?P<value>.+?)(\s+\(exactly\))?\s*$")
_CONTAINS_ITEM = re.compile(r"(?P<name>[\w-]+)\s+(?P<min>\d+)\.\.(?P<max>\d+|\*)")
_SEGMENT = re.compile(r"(?P<name>[^.\[\]]+)(?:\[(?P<index>[^\]]+)\])*")

Predicate = Callable[[Any], bool]


@dataclass(frozen=True)
class Code:
    system: str | None
    code: str


@dataclass
class Rule:
    path: str
    kind: str  # card | assign | obeys
    min: int = 0
    max: int | None = None  # None = *
    value: Any = None


@dataclass
class Profile:
    name: str
    id: str
    url: str | None
    rules: list[Rule] = field(default_factory=list)


@dataclass
class Report:
    violations: list[str] = field(default_factory=list)
    checked: int = 0
    unchecked: list[str] = field(default_factory=list)


def aliases() -> dict[str, str]:
    found = {}
    for line in (HERE / "aliases.fsh").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^Alias:\s*(\S+)\s*=\s*(\S+)", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def parse_value(text: str, known: dict[str, str]) -> Any:
    text = text.strip()
    if text.startswith('"') and text.endswith('"'):
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    if text.startswith("Reference(") and text.endswith(")"):
        return {"reference": text[len("Reference(") : -1]}
    if text.startswith("Canonical("):
        return text
    if "#" in text:
        system, _, code = text.partition("#")
        code = code.split()[0].strip('"')
        return Code(known.get(system, system) or None, code)
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return text  # an instance name (Bundle.entry.resource = ExampleX)


def _logical_lines(text: str) -> list[str]:
    """Rules, with the continuation lines of a multi-line `contains` joined."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.split("//", 1)[0].rstrip() if "://" not in raw else raw.rstrip()
        stripped = line.strip()
        if not stripped:
            continue
        continued = bool(lines) and lines[-1].rstrip().endswith((" and", "contains"))
        if not stripped.startswith("*") and continued:
            lines[-1] += " " + stripped
        else:
            lines.append(stripped)
    return lines


def load_profile(file_name: str) -> Profile:
    text = (HERE / file_name).read_text(encoding="utf-8")
    known = aliases()
    header = dict(re.findall(r"^(Profile|Id):\s*(\S+)", text, re.M))
    invariants = {
        name: expr
        for name, expr in re.findall(
            r"^Invariant:\s*(\S+).*?^Expression:\s*\"(.+?)\"", text, re.M | re.S
        )
    }
    # Without `^url`, a profile's URL is the guide's canonical one.
    profile = Profile(
        header["Profile"], header["Id"], f"{CANONICAL}/StructureDefinition/{header['Id']}"
    )
    for line in _logical_lines(text):
        if not line.startswith("* "):
            continue
        body = line[2:].strip()
        if body.startswith("^url"):
            profile.url = parse_value(body.partition("=")[2], known)
            continue
        if "^" in body.split()[0] or " ^" in body or " from " in body or " only " in body:
            continue
        if " contains " in body:
            path, _, items = body.partition(" contains ")
            for item in _CONTAINS_ITEM.finditer(items):
                maximum = item.group("max")
                profile.rules.append(
                    Rule(
                        f"{path.strip()}[{item.group('name')}]",
                        "card",
                        int(item.group("min")),
                        None if maximum == "*" else int(maximum),
                    )
                )
            continue
        if " obeys " in body:
            path, _, name = body.partition(" obeys ")
            expression = invariants.get(name.strip(), "")
            match = re.fullmatch(r"value\.matches\('(.+)'\)", expression)
            if match:
                profile.rules.append(Rule(f"{path.strip()}.value", "obeys", value=match.group(1)))
            continue
        card = _CARD.match(body)
        if card:
            maximum = card.group("max") or "*"
            profile.rules.append(
                Rule(
                    card.group("path"),
                    "card",
                    int(card.group("min") or 0),
                    None if maximum == "*" else int(maximum),
                )
            )
            continue
        assign = _ASSIGN.match(body)
        if assign:
            value = parse_value(assign.group("value"), known)
            profile.rules.append(Rule(assign.group("path"), "assign", value=value))
    return profile


# -- navigation -------------------------------------------------------------------------------


def _children(node: Any, name: str) -> list[Any]:
    if not isinstance(node, dict):
        return []
    if name.endswith("[x]"):
        stem = name[:-3]
        found = [v for k, v in node.items() if k.startswith(stem) and k != stem]
    else:
        found = [node[name]] if name in node else []
    out: list[Any] = []
    for value in found:
        out.extend(value if isinstance(value, list) else [value])
    return out


def _steps(path: str) -> list[tuple[str, list[str]]]:
    steps = []
    for match in re.finditer(r"([^.\[\]]+)((?:\[[^\]]+\])*)", path):
        slices = re.findall(r"\[([^\]]+)\]", match.group(2))
        name = match.group(1)
        if slices[:1] == ["x"]:  # a choice type (`value[x]`), not a slice
            name, slices = f"{name}[x]", slices[1:]
        steps.append((name, slices))
    return steps


class _Unknown(Exception):
    pass


def _select(nodes: list[Any], slices: list[str], known: dict[str, Predicate]) -> list[Any]:
    for name in slices:
        if name.isdigit():
            index = int(name)
            nodes = nodes[index : index + 1]
        elif name in known:
            nodes = [n for n in nodes if known[name](n)]
        else:
            raise _Unknown(name)
    return nodes


def _resolve(
    root: Any, steps: list[tuple[str, list[str]]], known: dict[str, Predicate]
) -> list[Any]:
    nodes = [root]
    for name, slices in steps:
        nodes = _select([c for n in nodes for c in _children(n, name)], slices, known)
    return nodes


def _matches(value: Any, expected: Any) -> bool:
    if isinstance(expected, Code):
        if isinstance(value, str):
            return expected.system is None and value == expected.code
        if isinstance(value, dict) and "coding" in value:
            return any(_matches(c, expected) for c in value["coding"])
        if isinstance(value, dict):
            return value.get("code") == expected.code and (
                expected.system is None or value.get("system") == expected.system
            )
        return False
    return bool(value == expected)


def check(resource: dict[str, Any], profile: Profile, known: dict[str, Predicate]) -> Report:
    report = Report()
    for rule in profile.rules:
        steps = _steps(rule.path)
        try:
            if rule.kind == "card":
                parents = _resolve(resource, steps[:-1], known)
                name, slices = steps[-1]
                for parent in parents:
                    count = len(_select(_children(parent, name), slices, known))
                    if count < rule.min or (rule.max is not None and count > rule.max):
                        report.violations.append(
                            f"{profile.name}: {rule.path} {rule.min}..{rule.max or '*'} "
                            f"(trouvé {count})"
                        )
            else:
                for value in _resolve(resource, steps, known):
                    ok = (
                        isinstance(value, str) and re.fullmatch(rule.value, value) is not None
                        if rule.kind == "obeys"
                        else _matches(value, rule.value)
                    )
                    if not ok:
                        report.violations.append(
                            f"{profile.name}: {rule.path} = {rule.value!r} (trouvé {value!r})"
                        )
        except _Unknown as unknown:
            report.unchecked.append(f"{rule.path} (tranche {unknown})")
            continue
        report.checked += 1
    return report


# -- instances --------------------------------------------------------------------------------


def _code_json(path_leaf: str, value: Code) -> Any:
    coding = {"system": value.system, "code": value.code} if value.system else {"code": value.code}
    if path_leaf in ("coding", "security"):
        return coding
    if value.system is None:
        return value.code
    if path_leaf in ("type",):  # a CodeableConcept
        return {"coding": [coding]}
    return coding


_LISTS = (
    "identifier",
    "telecom",
    "given",
    "line",
    "coding",
    "security",
    "serviceType",
    "specialty",
    "entry",
    "link",
    "extension",
    "profile",
)


def load_instance(file_name: str, profile: Profile | None = None) -> dict[str, Any]:
    """The example as JSON: its assignments, plus the assigned values of the named slices it
    uses (taken from `profile`), with `resourceType` from the profile's parent."""
    text = (HERE / file_name).read_text(encoding="utf-8")
    known = aliases()
    instance_of = re.search(r"^InstanceOf:\s*(\S+)", text, re.M)
    lists = set(_LISTS)
    if instance_of and "Practitioner" in instance_of.group(1):
        lists.add("name")  # HumanName is repeated; Organization.name is not
    resource: dict[str, Any] = {}
    last_index: dict[str, int] = {}
    used_slices: dict[str, int] = {}
    for line in _logical_lines(text):
        if not line.startswith("* "):
            continue
        assign = _ASSIGN.match(line[2:].strip())
        if not assign:
            continue
        value = parse_value(assign.group("value"), known)
        node: Any = resource
        steps = _steps(assign.group("path"))
        prefix = ""
        for position, (name, slices) in enumerate(steps):
            prefix = f"{prefix}.{name}" if prefix else name
            last = position == len(steps) - 1
            is_list = bool(slices) or name in lists
            if not is_list:
                if last:
                    node[name] = _code_json(name, value) if isinstance(value, Code) else value
                else:
                    node = node.setdefault(name, {})
                continue
            items = node.setdefault(name, [])
            index = 0
            for item in slices:
                if item == "+":
                    index = len(items)
                elif item == "=":
                    index = last_index.get(prefix, 0)
                elif item.isdigit():
                    index = int(item)
                else:  # a named slice: one element per slice name
                    key = f"{prefix}[{item}]"
                    if key not in used_slices:
                        used_slices[key] = len(items)
                    index = used_slices[key]
            last_index[prefix] = index
            while len(items) <= index:
                items.append({})
            if last:
                items[index] = _code_json(name, value) if isinstance(value, Code) else value
            else:
                node = items[index]
            prefix = f"{prefix}[{index}]"
    if profile is not None:
        for key, index in used_slices.items():
            path, _, slice_name = key.rpartition("[")
            slice_name = slice_name.rstrip("]")
            bare = re.sub(r"\[\d+\]", "", path)
            for rule in profile.rules:
                head = f"{bare}[{slice_name}]."
                if rule.kind == "assign" and rule.path.startswith(head):
                    leaf = rule.path[len(head) :]
                    element = resource[bare.split(".")[0]][index] if "." not in bare else None
                    if isinstance(element, dict) and "." not in leaf:
                        element.setdefault(
                            leaf,
                            _code_json(leaf, rule.value)
                            if isinstance(rule.value, Code)
                            else rule.value,
                        )
    return resource
