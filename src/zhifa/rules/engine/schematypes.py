"""The shipped JSON Schema as msgspec types: a yes/no check of a case file in C.

``compile_types(schema)`` turns the case-file schema into msgspec ``Struct`` types (one
per object, a tagged union of one ``Struct`` per step kind for the per-kind clauses of
``$defs/step``) and returns a check: ``msgspec.convert(document, type)`` either succeeds
(the document is valid) or raises. Validation asks it first, before the compiled Python
check (schemacheck.py) and the jsonschema interpreter; those decide every document it
does not accept, so the errors, their paths and messages stay exactly the interpreter's.

The types are never more lenient than the schema (Draft 2020-12), and often stricter:
every object forbids the members its schema does not name (the schema allows them: such
a file is valid, it is merely left to the slower checks), ``integer`` refuses ``1.0``,
a date must be ``YYYY-MM-DD`` in ASCII digits. Because every object forbids unknown
members, a document the types accept is at most as deep as the schema, so the depth
limit (validation.MAX_DEPTH) needs no walk of its own. What msgspec cannot express is
checked in Python after the conversion, on the document: ``uniqueItems`` and an object's
``if``/``then`` (by the compiled check of that clause alone). Any keyword or combination
not implemented here raises ``UnsupportedSchema``, and validation then goes without this
check.

``compile_decoder`` may be given ``shapes``: the classes (and the defaults of the optional
members) of the objects within arrays, so that its document is what its user reads
(``casefile.typed_shapes``: steps that read as the engine's steps). A shape changes no
verdict: it is refused on an object a post check reads.
"""

import datetime as dt
import keyword
from collections.abc import Callable, Mapping, Sequence
from types import UnionType
from typing import Annotated, Any, Literal, NamedTuple, Union, get_args, get_origin

import msgspec

from .schemacheck import ANNOTATIONS, UnsupportedSchema, _dispatch, resolve_ref

Check = Callable[[Any], bool]
Path = tuple[str, ...]

_SCALARS = {"string": str, "number": float, "integer": int, "boolean": bool}
_BOUNDS = {"minimum": "ge", "maximum": "le", "exclusiveMinimum": "gt", "exclusiveMaximum": "lt"}


class Shape(NamedTuple):
    """How ``compile_decoder`` makes one kind of object (``Shapes``): the Struct class it
    derives from (no fields of its own: methods, class attributes, ``__post_init__``) and
    the default of each optional member it names (the others default to ``UNSET``); the
    members in ``not_null`` are typed without null: a document that gives one of them as
    null is not decoded (the decoder says None: its caller takes the slow path, which
    reads a null as absent), so the class needs no ``__post_init__`` to make it so."""

    base: type
    defaults: Mapping[str, Any]
    not_null: frozenset[str] = frozenset()


#: ``shapes(where, tag, optional)``: the Shape of the objects of the schema at ``where``
#: (a JSON pointer in the schema: ``#/$defs/penalty``, ``#/properties/officers/items``;
#: ``tag`` None), or of the variant ``tag`` (a step's kind) of the tagged union defined at
#: ``where`` (``#/$defs/step``), given the names of its optional members; None: as usual
#: (every optional member defaults to ``UNSET``). A Shape for an object a post check reads
#: (``if``/``then``, ``uniqueItems``: they read an absent member as ``UNSET``) is refused
#: (``UnsupportedSchema``).
Shapes = Callable[[str, str | None, tuple[str, ...]], Shape | None]


def _union(types: Sequence[Any]) -> Any:
    if not types:
        raise UnsupportedSchema("a schema no value satisfies")
    return types[0] if len(types) == 1 else Union[tuple(types)]  # noqa: UP007 - built at run time


class _Builder:
    def __init__(self, root: Mapping[str, Any], shapes: Shapes | None = None):
        self.root = root
        self.shapes = shapes
        #: the types of the ``$ref``s within arrays and unions (``path`` None), built once:
        #: one class for one definition (two penalties of one definition compare equal)
        self.refs: dict[str, Any] = {}
        self.counter = 0
        #: checks msgspec cannot express, run on the document after the conversion
        self.post: list[tuple[Path, Check]] = []
        #: the tagged unions built for ``$ref``s to a per-kind dispatch (``$defs/step``)
        self.unions: dict[str, Any] = {}

    def resolve(self, ref: str) -> Mapping[str, Any]:
        return resolve_ref(self.root, ref)

    def name(self, hint: str) -> str:
        self.counter += 1
        return f"T{self.counter}_{''.join(c if c.isalnum() else '_' for c in hint)}"

    def type_of(self, schema: Any, path: Path | None, where: str | None = None) -> Any:
        """The msgspec type of ``schema``; ``path`` is where it sits in the document
        (object members only), or None inside an array or a union (where post-checks
        cannot be placed); ``where`` is where it sits in the schema (a JSON pointer; None
        within a step's variant, where no shape is asked)."""
        if schema is True or (isinstance(schema, Mapping) and not set(schema) - ANNOTATIONS):
            raise UnsupportedSchema("an unconstrained value (any depth) is not typed")
        if not isinstance(schema, Mapping):
            raise UnsupportedSchema(f"schema {schema!r}")
        keys = set(schema) - ANNOTATIONS
        if "$ref" in keys:
            if keys != {"$ref"}:
                raise UnsupportedSchema("$ref beside other keywords")
            ref = schema["$ref"]
            target = self.resolve(ref)
            if "allOf" in target and _dispatch(list(target["allOf"])) is not None:
                if ref not in self.unions:
                    self.unions[ref] = self.steps(target, ref)
                return self.unions[ref]
            if path is not None:
                return self.type_of(target, path, ref)
            found = self.refs.get(ref)
            if found is None:
                found = self.refs[ref] = self.type_of(target, None, ref)
            return found
        if "anyOf" in keys:
            if keys != {"anyOf"}:
                raise UnsupportedSchema("anyOf beside other keywords")
            return _union(
                [
                    self.type_of(branch, None, _within(where, "anyOf", str(n)))
                    for n, branch in enumerate(schema["anyOf"])
                ]
            )
        if "enum" in keys or "const" in keys:
            return self.choices(schema, keys)
        if "type" not in keys:
            raise UnsupportedSchema(f"no type in {sorted(keys)}")
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        types: list[Any] = []
        for kind in names:
            if kind == "null":
                types.append(None)
            elif kind == "object":
                types.append(self.object(schema, keys, path, where))
            elif kind == "array":
                types.append(self.array(schema, keys, path, where))
            elif kind in _SCALARS:
                types.append(self.scalar(kind, schema, keys))
            else:
                raise UnsupportedSchema(f"type {kind!r}")
        return _union(types)

    def choices(self, schema: Mapping[str, Any], keys: set[str]) -> Any:
        if keys - {"enum", "const", "type"} or ("enum" in keys and "const" in keys):
            raise UnsupportedSchema(f"enum/const beside {sorted(keys)}")
        values = list(schema["enum"]) if "enum" in keys else [schema["const"]]
        if "type" in keys:
            allowed = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            values = [v for v in values if _json_type(v) in allowed]
        if any(v is not None and type(v) is not str for v in values):
            raise UnsupportedSchema("enum values other than strings and null")
        strings = tuple(v for v in values if v is not None)
        types: list[Any] = [Literal[strings]] if strings else []
        if None in values:
            types.append(None)
        return _union(types)

    def scalar(self, kind: str, schema: Mapping[str, Any], keys: set[str]) -> Any:
        base: Any = _SCALARS[kind]
        meta: dict[str, Any] = {}
        if kind == "string":
            if "format" in keys:
                if schema["format"] != "date" or keys - {"type", "format"}:
                    raise UnsupportedSchema(f"format {schema['format']!r} with {sorted(keys)}")
                return dt.date  # RFC 3339 full-date: YYYY-MM-DD, a real day
            if "minLength" in keys:
                meta["min_length"] = schema["minLength"]
            if "maxLength" in keys:
                meta["max_length"] = schema["maxLength"]
            if "pattern" in keys:
                meta["pattern"] = schema["pattern"]
            extra = keys - {"type", "minLength", "maxLength", "pattern"}
        elif kind in ("number", "integer"):
            for key, name in _BOUNDS.items():
                if key in keys:
                    meta[name] = schema[key]
            extra = keys - {"type", *_BOUNDS}
        else:
            extra = keys - {"type"}
        if extra:
            raise UnsupportedSchema(f"{kind} with {sorted(extra)}")
        if kind == "number":  # an int stays an int (as json.loads gives it)
            return _union([Annotated[t, msgspec.Meta(**meta)] if meta else t for t in (int, float)])
        return Annotated[base, msgspec.Meta(**meta)] if meta else base

    def array(
        self, schema: Mapping[str, Any], keys: set[str], path: Path | None, where: str | None
    ) -> Any:
        allowed = {"type", "items", "minItems", "maxItems", "uniqueItems"}
        if isinstance(schema["type"], list):  # e.g. ["array", "object"]: the object's keywords
            allowed |= {"properties", "required", "additionalProperties"}
        extra = keys - allowed
        if extra or "items" not in keys:
            raise UnsupportedSchema(f"array with {sorted(extra) or 'no items'}")
        item = self.type_of(schema["items"], None, _within(where, "items"))
        meta = {}
        if "minItems" in keys:
            meta["min_length"] = schema["minItems"]
        if "maxItems" in keys:
            meta["max_length"] = schema["maxItems"]
        if schema.get("uniqueItems"):
            if path is None or not _scalar_items(schema["items"], self):
                raise UnsupportedSchema("uniqueItems on an array not at an object path")
            self.post.append((path, _unique))
        array: Any = tuple[item, ...]  # type: ignore[valid-type]
        return Annotated[array, msgspec.Meta(**meta)] if meta else array

    def object(
        self, schema: Mapping[str, Any], keys: set[str], path: Path | None, where: str | None
    ) -> Any:
        clauses = {"if", "then", "allOf"} & keys
        extra = keys - {"type", "properties", "required", "additionalProperties"} - clauses
        if extra:
            raise UnsupportedSchema(f"object with {sorted(extra)}")
        if clauses:
            # checked after the conversion, on the typed object (``_conditional``)
            if path is None:
                raise UnsupportedSchema(f"{sorted(clauses)} on an object not at an object path")
            branches = list(schema.get("allOf", ()))
            if "if" in schema or "then" in schema:
                branches.append({k: schema[k] for k in ("if", "then") if k in schema})
            for branch in branches:
                self.post.append((path, _conditional(branch)))
        members = schema.get("additionalProperties", False)
        if "properties" not in keys:
            if members is False or members is True:
                raise UnsupportedSchema("an object with neither properties nor member schema")
            return dict[str, self.type_of(members, None)]  # type: ignore[misc]
        if members is not False and "additionalProperties" in keys:
            raise UnsupportedSchema("properties with additionalProperties")
        return self.struct(
            schema["properties"], schema.get("required", ()), path, "object", where=where
        )

    def struct(
        self,
        properties: Mapping[str, Any],
        required: Sequence[str],
        path: Path | None,
        hint: str,
        tag: str | None = None,
        tag_field: str | None = None,
        where: str | None = None,
    ) -> Any:
        """A Struct of these members; ``where`` the object's place in the schema (a
        variant's: its union's), which ``shapes`` is asked about."""
        missing = set(required) - set(properties)
        if missing:
            raise UnsupportedSchema(f"required members with no schema: {sorted(missing)}")
        optional = tuple(m for m in properties if m not in required and m != tag_field)
        form = None if self.shapes is None or where is None else self.shapes(where, tag, optional)
        defaults: Mapping[str, Any] = {} if form is None else form.defaults
        fields: list[Any] = []
        for member, sub in properties.items():
            if member == tag_field:
                continue
            if not member.isidentifier() or keyword.iskeyword(member) or member.startswith("_"):
                raise UnsupportedSchema(f"member name {member!r}")
            at = None if tag is not None else _within(where, "properties", member)
            kind = self.type_of(sub, None if path is None else (*path, member), at)
            if form is not None and member in form.not_null:
                kind = _without_null(kind)
            if member in required:
                fields.append((member, kind))
            else:
                fields.append((member, kind, defaults.get(member, msgspec.UNSET)))
        if (
            form is not None
            and path is not None
            and any(p[: len(path)] == path for p, _t in self.post)
        ):
            # a post check reads an absent member of this object (or within it) as UNSET
            raise UnsupportedSchema(f"a shape for {where!r}, an object a post check reads")
        fields.sort(key=len)  # required (no default) first, as a Struct demands
        # the root keeps the members it does not name (checked for depth by ``check``)
        # gc=False: a decoded document is a tree (no cycle), read once and dropped; not
        # tracking its Structs saves work on each one made and freed; frozen: read only
        # (the engine keeps the decoder's steps, its case file is immutable)
        options: dict[str, Any] = {"forbid_unknown_fields": path != (), "gc": False, "frozen": True}
        if tag is not None:
            options.update(tag=tag, tag_field=tag_field)
        if form is not None:
            options["bases"] = (form.base,)
        return msgspec.defstruct(self.name(tag or hint), fields, **options)

    def steps(self, schema: Mapping[str, Any], where: str) -> Any:
        """``$defs/step``: the base object with its ``allOf`` of per-kind clauses, as a
        tagged union (tag: the kind) of one Struct per kind of the base enum."""
        keys = set(schema) - ANNOTATIONS
        if keys != {"type", "required", "properties", "allOf"} or schema["type"] != "object":
            raise UnsupportedSchema(f"step schema with {sorted(keys)}")
        dispatch = _dispatch(list(schema["allOf"]))
        if dispatch is None:
            raise UnsupportedSchema("allOf that is not a dispatch on one member")
        field, table = dispatch
        base = schema["properties"]
        kinds = base.get(field, {}).get("enum")
        if set(base.get(field, {})) != {"enum"} or not all(isinstance(k, str) for k in kinds):
            raise UnsupportedSchema(f"{field} is not an enum of strings")
        if set(table) - set(kinds):
            raise UnsupportedSchema("a clause for a kind the enum does not list")
        variants = []
        for kind in kinds:
            properties = dict(base)
            required = list(schema["required"])
            if kind in table:
                clause = table[kind]
                if isinstance(clause, Mapping) and set(clause) - ANNOTATIONS == {"$ref"}:
                    clause = self.resolve(clause["$ref"])
                extra = set(clause) - ANNOTATIONS - {"properties", "required"}
                if extra or set(clause.get("properties", {})) & set(base):
                    raise UnsupportedSchema(f"step clause for {kind!r} with {sorted(extra)}")
                properties.update(clause.get("properties", {}))
                required.extend(r for r in clause.get("required", ()) if r not in required)
            variants.append(self.struct(properties, required, None, kind, kind, field, where))
        return _union(variants)


_TYPED_AS = {
    "object": (msgspec.Struct, dict),
    "array": (tuple, list),
    "string": (str,),
    "boolean": (bool,),
    "null": (type(None),),
}


def _conditional(branch: Any) -> Check:
    """``if: {properties: {F: {const: K}}, required: [F]}, then: {required: [...],
    properties: {M: {type: T}}}`` as a test of a typed object: when its member F is K,
    the members ``then`` requires are given and have the types it names."""
    if not isinstance(branch, Mapping) or set(branch) - ANNOTATIONS != {"if", "then"}:
        raise UnsupportedSchema("a conditional that is not if/then")
    test = _dispatch([{"if": branch["if"], "then": {}}])
    then = branch["then"]
    if test is None or not isinstance(then, Mapping) or set(then) - {"required", "properties"}:
        raise UnsupportedSchema("a conditional other than a constant and required members")
    field, table = test
    (value,) = table
    required = tuple(then.get("required", ()))
    typed: list[tuple[str, tuple[type, ...]]] = []
    for member, sub in then.get("properties", {}).items():
        if not isinstance(sub, Mapping) or set(sub) != {"type"} or sub["type"] not in _TYPED_AS:
            raise UnsupportedSchema(f"a conditional constraint on {member!r} other than a type")
        typed.append((member, _TYPED_AS[sub["type"]]))
    unset = msgspec.UNSET

    def holds(obj: Any) -> bool:
        if getattr(obj, field, unset) != value:
            return True
        for member in required:
            if getattr(obj, member, unset) is unset:
                return False
        for member, types in typed:
            given = getattr(obj, member, unset)
            if given is not unset and not isinstance(given, types):
                return False
        return True

    return holds


def _without_null(kind: Any) -> Any:
    """``kind`` without null (a nullable member a Shape says is never null)."""
    origin = get_origin(kind)
    if origin is Annotated:
        inner, *meta = get_args(kind)
        return Annotated[(_without_null(inner), *meta)]
    if origin is Union or origin is UnionType:
        return _union([arg for arg in get_args(kind) if arg is not type(None)])
    if kind is None or kind is type(None):
        raise UnsupportedSchema("a member that can only be null")
    return kind


def _within(where: str | None, *keys: str) -> str | None:
    """The JSON pointer of a schema within the schema at ``where`` (None: unknown)."""
    if where is None:
        return None
    escaped = (key.replace("~", "~0").replace("/", "~1") for key in keys)
    return "/".join((where, *escaped))


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, str):
        return "string"
    if isinstance(value, int | float):
        return "number"
    return "object" if isinstance(value, dict) else "array"


def _scalar_items(items: Any, builder: _Builder) -> bool:
    """The items are strings/null only (enum, const or type): ``uniqueItems`` is then a
    plain set test."""
    if isinstance(items, Mapping) and set(items) - ANNOTATIONS == {"$ref"}:
        items = builder.resolve(items["$ref"])
    if not isinstance(items, Mapping):
        return False
    if "enum" in items:
        return all(v is None or type(v) is str for v in items["enum"])
    return items.get("type") == "string"


def _unique(value: Any) -> bool:
    return value is None or len(set(value)) == len(value)


def _at(obj: Any, path: Path) -> Any:
    """The typed value at ``path`` (None when absent or null)."""
    for member in path:
        obj = getattr(obj, member, None)
        if obj is None or obj is msgspec.UNSET:
            return None
    return obj


def compile_types(
    schema: Mapping[str, Any],
    too_deep: Callable[[Any], bool],
) -> Check:
    """The msgspec check of a parsed document against ``schema`` (raises
    ``UnsupportedSchema``). ``too_deep(value)`` says whether a member of the root the
    schema does not name nests too deep (the one place a valid document may hold values of
    any shape the types do not bound)."""
    document_type, named, post = _compile(schema)
    convert = msgspec.convert
    error = msgspec.ValidationError

    def check(document: Any) -> bool:
        try:
            typed = convert(document, document_type)
        except error:
            return False
        for member in document.keys() - named:
            if too_deep(document[member]):
                return False
        for path, test in post:
            value = _at(typed, path)
            if value is not None and not test(value):
                return False
        return True

    return check


def compile_decoder(
    schema: Mapping[str, Any],
    too_deep: Callable[[Any], bool],
    max_depth: int = 0,
    shapes: Shapes | None = None,
) -> Callable[[str | bytes], Any]:
    """``decode(text)``: the typed document (msgspec Structs; a member absent is
    ``msgspec.UNSET``) when ``text`` is a valid case file by the types, else None — the
    JSON parser, the schema check and the depth limit in one pass in C. ``too_deep`` as
    for ``compile_types`` (applied to the members the root does not name, parsed on their
    own); ``max_depth`` the depth it judges, to pass over a member with fewer brackets than
    that without parsing it (0: parse every such member). ``shapes`` makes the objects
    it names of classes of its own and with defaults of its own (``Shape``; the verdicts
    are the same: only what an optional member holds when absent changes, and a member it
    types without null makes a null refused here, which the slow path then reads)."""
    document_type, named, post = _compile(schema, shapes)
    typed_decoder = msgspec.json.Decoder(document_type)
    members_decoder = msgspec.json.Decoder(dict[str, msgspec.Raw])
    error = (msgspec.ValidationError, msgspec.DecodeError)
    untyped = msgspec.json.decode
    shallow = max_depth - 2  # a member is at level 2: its containers start there

    def decode(text: str | bytes) -> Any:
        try:
            typed = typed_decoder.decode(text)
            members = members_decoder.decode(text)
        except (*error, RecursionError):
            # msgspec recurses into a member the types do not name (the root allows
            # any): a deeply nested one is the slow path's to refuse, by the depth limit.
            return None
        for member in members.keys() - named:  # nearly always none or one
            member_text = bytes(members[member])
            if len(member_text.translate(None, _NOT_OPENING)) < shallow:
                continue  # fewer brackets than the limit: cannot nest too deep
            try:
                value = untyped(member_text)
            except (*error, RecursionError):
                return None
            if too_deep(value):
                return None
        for path, test in post:
            value = _at(typed, path) if path else typed
            if value is not None and not test(value):
                return None
        return typed

    #: the root type the decoder gives (``casefile.prepare_builders`` builds for it)
    decode.document_type = document_type  # type: ignore[attr-defined]
    return decode


#: every byte but the opening brackets: ``text.translate(None, _NOT_OPENING)`` keeps the
#: opening brackets of ``text`` (one pass; ``bytes.count`` of one byte, twice, is slower)
_NOT_OPENING = bytes(b for b in range(256) if b not in b"[{")


def _compile(
    schema: Mapping[str, Any], shapes: Shapes | None = None
) -> tuple[Any, frozenset[str], tuple[tuple[Path, Check], ...]]:
    builder = _Builder(schema, shapes)
    document_type = builder.type_of(schema, (), "#")
    if not isinstance(document_type, type) or not issubclass(document_type, msgspec.Struct):
        raise UnsupportedSchema("the root is not an object with properties")
    try:
        msgspec.convert({}, document_type)  # msgspec checks a type on first use
    except msgspec.ValidationError:
        pass
    except TypeError as exc:  # a union msgspec does not support
        raise UnsupportedSchema(str(exc)) from None
    return document_type, frozenset(schema["properties"]), tuple(builder.post)
