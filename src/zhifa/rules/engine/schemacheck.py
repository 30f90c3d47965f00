"""A compiled yes/no check of a document against the shipped JSON Schema.

``compile_check(schema)`` turns the schema into the source of one Python function that
answers only "valid or not", with no error objects, and compiles it once. Validation
(``validation.validate_document``) asks it first: a valid case file — nearly every file
in a bulk audit — is then accepted at a small fraction of the cost of the jsonschema
interpreter. When it says "not valid", jsonschema runs as before and reports every error
with its JSON path, so the errors, their paths and messages are exactly those of the
interpreter.

The check is never more lenient than jsonschema (Draft 2020-12): where the two could
disagree (``1.0`` as an integer, a list that is not of strings under ``uniqueItems``) it
says "not valid" and leaves the verdict to the interpreter. It implements the keywords
the case-file schema uses; a schema with any other keyword is not compiled
(``UnsupportedSchema``) and validation then uses the interpreter alone.

The per-kind clauses of ``$defs/step`` (``allOf`` of ``if: {properties: {step: {const:
K}}}, then: …``) are compiled to one lookup by the kind instead of a test per kind.
"""

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]

#: Keywords that only annotate (no effect on validity).
ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "default", "examples", "$defs"}
)


class UnsupportedSchema(ValueError):
    """The schema uses something this compiler does not implement."""


def resolve_ref(root: Mapping[str, Any], ref: str) -> Mapping[str, Any]:
    """The schema a local ``$ref`` (``#/$defs/step``) of ``root`` points at."""
    if not ref.startswith("#/"):
        raise UnsupportedSchema(f"$ref {ref!r}: only local references")
    node: Any = root
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, Mapping) or part not in node:
            raise UnsupportedSchema(f"$ref {ref!r} does not resolve")
        node = node[part]
    if not isinstance(node, Mapping):
        raise UnsupportedSchema(f"$ref {ref!r}: not a schema")
    return node


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Compiler:
    def __init__(
        self, root: Mapping[str, Any], formats: Mapping[str, Callable[[str], bool]]
    ) -> None:
        self.root = root
        self.formats = formats
        self.lines: list[str] = []
        self.constants: dict[str, object] = {}
        self.functions: dict[str, str] = {}  # $ref -> function name
        self.counter = 0

    def name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def constant(self, value: object) -> str:
        name = self.name("_c")
        self.constants[name] = value
        return name

    def resolve(self, ref: str) -> Mapping[str, Any]:
        return resolve_ref(self.root, ref)

    def function(self, schema: Any, name: str | None = None) -> str:
        """Emit ``def NAME(x): ...`` for ``schema``; return the name."""
        name = name or self.name("_f")
        body: list[str] = []
        self.emit(schema, "x", body, 1)
        self.lines.append(f"def {name}(x):")
        self.lines.extend(body)
        self.lines.append("    return True")
        self.lines.append("")
        return name

    def ref(self, ref: str) -> str:
        if ref not in self.functions:
            name = self.name("_r")
            self.functions[ref] = name  # before compiling: a recursive $ref terminates
            self.function(self.resolve(ref), name)
        return self.functions[ref]

    def emit(self, schema: Any, var: str, out: list[str], depth: int) -> None:
        pad = "    " * depth
        if schema is True:
            return
        if schema is False:
            out.append(f"{pad}return False")
            return
        if not isinstance(schema, Mapping):
            raise UnsupportedSchema(f"not a schema: {schema!r}")
        for key in schema:
            if key not in ANNOTATIONS and key not in _HANDLED:
                raise UnsupportedSchema(f"keyword {key!r}")
        if "$ref" in schema:
            out.append(f"{pad}if not {self.ref(schema['$ref'])}({var}): return False")
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            tests = [_TYPE_TESTS[t].format(v=var) for t in types if t in _TYPE_TESTS]
            if len(tests) != len(types):
                raise UnsupportedSchema(f"type {schema['type']!r}")
            out.append(f"{pad}if not ({' or '.join(tests)}): return False")
        if "enum" in schema or "const" in schema:
            values = list(schema["enum"]) if "enum" in schema else [schema["const"]]
            if all(isinstance(v, str) for v in values):
                allowed = self.constant(frozenset(values))
                out.append(
                    f"{pad}if not (isinstance({var}, str) and {var} in {allowed}): return False"
                )
            else:
                # exact JSON equality (true is not 1): compare canonical JSON texts
                allowed = self.constant(frozenset(_canonical(v) for v in values))
                out.append(f"{pad}if _canonical({var}) not in {allowed}: return False")
        if "format" in schema:
            if schema["format"] not in self.formats:
                raise UnsupportedSchema(f"format {schema['format']!r}")
            test = self.constant(self.formats[schema["format"]])
            out.append(f"{pad}if isinstance({var}, str) and not {test}({var}): return False")
        string = []
        if "minLength" in schema:
            string.append(f"len({var}) < {int(schema['minLength'])}")
        if "maxLength" in schema:
            string.append(f"len({var}) > {int(schema['maxLength'])}")
        if "pattern" in schema:
            pattern = self.constant(re.compile(schema["pattern"]))
            string.append(f"not {pattern}.search({var})")
        if string:
            out.append(f"{pad}if isinstance({var}, str) and ({' or '.join(string)}): return False")
        number = []
        for key, op in (
            ("minimum", "<"),
            ("maximum", ">"),
            ("exclusiveMinimum", "<="),
            ("exclusiveMaximum", ">="),
        ):
            if key in schema:
                bound = schema[key]
                if not _is_number(bound):
                    raise UnsupportedSchema(f"{key} {bound!r}")
                number.append(f"{var} {op} {bound!r}")
        if number:
            out.append(f"{pad}if _is_number({var}) and ({' or '.join(number)}): return False")
        if "required" in schema or "properties" in schema or "additionalProperties" in schema:
            self.emit_object(schema, var, out, depth)
        if any(k in schema for k in ("items", "minItems", "maxItems", "uniqueItems")):
            self.emit_array(schema, var, out, depth)
        for key in ("allOf", "anyOf", "oneOf"):
            if key in schema:
                self.emit_combination(key, schema[key], var, out, depth)
        if "not" in schema:
            out.append(f"{pad}if {self.function(schema['not'])}({var}): return False")
        if "if" in schema:
            test = self.function(schema["if"])
            then = self.function(schema.get("then", True))
            otherwise = self.function(schema.get("else", True))
            out.append(
                f"{pad}if not ({then}({var}) if {test}({var}) else {otherwise}({var})): "
                "return False"
            )
        elif "then" in schema or "else" in schema:
            pass  # without "if", "then" and "else" have no effect

    def emit_object(self, schema: Mapping[str, Any], var: str, out: list[str], depth: int) -> None:
        pad = "    " * depth
        out.append(f"{pad}if isinstance({var}, dict):")
        inner = "    " * (depth + 1)
        start = len(out)
        required = schema.get("required", [])
        if required:
            missing = " or ".join(f"{json.dumps(p)} not in {var}" for p in required)
            out.append(f"{inner}if {missing}: return False")
        properties = schema.get("properties", {})
        for prop, sub in properties.items():
            child = self.name("_v")
            body: list[str] = []
            self.emit(sub, child, body, depth + 2)
            if body:
                out.append(f"{inner}if {json.dumps(prop)} in {var}:")
                out.append(f"{inner}    {child} = {var}[{json.dumps(prop)}]")
                out.extend(body)
        extra = schema.get("additionalProperties", True)
        if extra is not True:
            known = self.constant(frozenset(properties))
            check = self.function(extra)
            out.append(
                f"{inner}if any(k not in {known} and not {check}(v) "
                f"for k, v in {var}.items()): return False"
            )
        if len(out) == start:
            out.pop()

    def emit_array(self, schema: Mapping[str, Any], var: str, out: list[str], depth: int) -> None:
        pad = "    " * depth
        inner = "    " * (depth + 1)
        out.append(f"{pad}if isinstance({var}, list):")
        if "minItems" in schema:
            out.append(f"{inner}if len({var}) < {int(schema['minItems'])}: return False")
        if "maxItems" in schema:
            out.append(f"{inner}if len({var}) > {int(schema['maxItems'])}: return False")
        if schema.get("uniqueItems") is True:
            # strings only: anything else is left to the interpreter
            out.append(
                f"{inner}if not all(isinstance(i, str) for i in {var}) "
                f"or len(set({var})) != len({var}): return False"
            )
        if "items" in schema:
            items = schema["items"]
            if isinstance(items, list):
                raise UnsupportedSchema("items as an array (prefixItems in 2020-12)")
            item = self.name("_i")
            body: list[str] = []
            self.emit(items, item, body, depth + 2)
            if body:
                out.append(f"{inner}for {item} in {var}:")
                out.extend(body)
        out.append(f"{inner}pass")

    def emit_combination(
        self, key: str, branches: list[Any], var: str, out: list[str], depth: int
    ) -> None:
        pad = "    " * depth
        if key == "allOf":
            dispatch = _dispatch(branches)
            if dispatch is not None:
                field, table = dispatch
                mapping = {const: self.function(then) for const, then in table.items()}
                name = self.constant(None)
                self.lines.append(
                    f"{name} = {{"
                    + ", ".join(f"{json.dumps(k)}: {f}" for k, f in mapping.items())
                    + "}"
                )
                kind = self.name("_k")
                out.append(f"{pad}if isinstance({var}, dict):")
                out.append(f"{pad}    {kind} = {var}.get({json.dumps(field)})")
                out.append(
                    f"{pad}    if isinstance({kind}, str) and {kind} in {name} "
                    f"and not {name}[{kind}]({var}): return False"
                )
                return
            for branch in branches:
                self.emit(branch, var, out, depth)
            return
        names = [self.function(b) for b in branches]
        if key == "anyOf":
            out.append(f"{pad}if not ({' or '.join(f'{n}({var})' for n in names)}): return False")
        else:  # oneOf
            out.append(
                f"{pad}if sum(1 for f in ({', '.join(names)},) if f({var})) != 1: return False"
            )

    def build(self) -> Check:
        entry = self.function(self.root, "check")
        source = "\n".join(self.lines)
        namespace: dict[str, Any] = {
            "_is_number": _is_number,
            "_canonical": _canonical,
        }
        # constants first, then the code; dispatch tables are assigned in the source
        namespace.update({k: v for k, v in self.constants.items() if v is not None})
        exec(compile(source, "<casefile schema check>", "exec"), namespace)  # noqa: S102
        check: Check = namespace[entry]
        return check


def _canonical(value: Any) -> str:
    try:
        return json.dumps(value, sort_keys=True)
    except (TypeError, ValueError):
        return "\0"  # not JSON: never equal to a schema value


def _dispatch(branches: list[Any]) -> tuple[str, dict[str, Any]] | None:
    """``allOf`` made only of ``if: {properties: {F: {const: "K"}}, required: [F]},
    then: S`` clauses on one field F with distinct string constants: {K: S}."""
    field: str | None = None
    table: dict[str, Any] = {}
    for branch in branches:
        if not isinstance(branch, Mapping) or set(branch) != {"if", "then"}:
            return None
        test = branch["if"]
        if not isinstance(test, Mapping) or set(test) != {"properties", "required"}:
            return None
        props = test["properties"]
        if not isinstance(props, Mapping) or len(props) != 1:
            return None
        ((name, sub),) = props.items()
        if test["required"] != [name] or not isinstance(sub, Mapping) or set(sub) != {"const"}:
            return None
        const = sub["const"]
        if not isinstance(const, str) or const in table or (field not in (None, name)):
            return None
        field = name
        table[const] = branch["then"]
    if field is None:
        return None
    return field, table


_TYPE_TESTS = {
    "object": "isinstance({v}, dict)",
    "array": "isinstance({v}, list)",
    "string": "isinstance({v}, str)",
    "number": "_is_number({v})",
    "integer": "(isinstance({v}, int) and not isinstance({v}, bool))",
    "boolean": "isinstance({v}, bool)",
    "null": "{v} is None",
}
_HANDLED = frozenset(
    {
        "$ref",
        "type",
        "enum",
        "const",
        "format",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "required",
        "properties",
        "additionalProperties",
        "items",
        "minItems",
        "maxItems",
        "uniqueItems",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "if",
        "then",
        "else",
    }
)


def compile_check(schema: Mapping[str, Any], formats: Mapping[str, Callable[[str], bool]]) -> Check:
    """The yes/no check of ``schema`` (raises ``UnsupportedSchema``); ``formats`` gives
    the test of each ``format`` the schema names (true: the string is valid)."""
    return _Compiler(schema, formats).build()
