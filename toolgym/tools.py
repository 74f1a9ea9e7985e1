"""Tools declared as typed Python methods; their JSON schemas come from the signatures.

An environment marks a method with :func:`tool`; the argument types become a pydantic model (so
the model's arguments are validated with clear messages), and the docstring's first paragraph and
its Google-style ``Args:`` section become the descriptions in the OpenAI function format that
chat templates and APIs expect.
"""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

_TOOL_MARK = "__toolgym_tool__"


def tool(func: Callable[..., Any]) -> Callable[..., Any]:
    """Mark an environment method as a tool the agent can call."""
    setattr(func, _TOOL_MARK, True)
    return func


@dataclass(frozen=True)
class ToolSpec:
    """One tool: its name, description, argument model and bound implementation."""

    name: str
    description: str
    arguments: type[BaseModel]
    func: Callable[..., Any]
    parameters: dict[str, Any] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # JSON-schema generation costs about a millisecond: do it once, not at every reset.
        object.__setattr__(self, "parameters", _parameters_schema(self.arguments))

    def schema(self) -> dict[str, Any]:
        """The tool in the OpenAI function-calling format (a fresh copy each call)."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": copy.deepcopy(self.parameters),
            },
        }

    def validate(self, arguments: dict[str, Any]) -> dict[str, Any]:
        """Check and coerce arguments; raises ``ValueError`` with a readable message."""
        try:
            model = self.arguments.model_validate(arguments)
        except ValidationError as exc:
            problems = []
            for error in exc.errors():
                where = ".".join(str(p) for p in error["loc"]) or "arguments"
                problems.append(f"{where}: {error['msg']}")
            raise ValueError("; ".join(problems)) from None
        return model.model_dump()

    def signature_text(self) -> str:
        """``name(arg: type, opt?: type)`` for prompts."""
        props = self.parameters
        required = set(props.get("required", []))
        parts = []
        for name, prop in props.get("properties", {}).items():
            kind = prop.get("type", "any")
            parts.append(f"{name}: {kind}" if name in required else f"{name}?: {kind}")
        return f"{self.name}({', '.join(parts)})"


def _parameters_schema(model: type[BaseModel]) -> dict[str, Any]:
    parameters = model.model_json_schema()
    parameters.pop("title", None)
    for prop in parameters.get("properties", {}).values():
        prop.pop("title", None)
        # Optional[int] renders as anyOf[int, null]; keep the plain type for small models.
        if "anyOf" in prop and prop.get("default", "x") is None:
            types = [t for t in prop.pop("anyOf") if t.get("type") != "null"]
            if len(types) == 1:
                prop.update(types[0])
    parameters.setdefault("properties", {})
    parameters.setdefault("required", [])
    return parameters


def _docstring_parts(doc: str) -> tuple[str, dict[str, str]]:
    """Split a Google-style docstring into its summary and per-argument descriptions."""
    doc = inspect.cleandoc(doc or "")
    summary_lines: list[str] = []
    args: dict[str, str] = {}
    section = None
    current = None
    for line in doc.splitlines():
        stripped = line.strip()
        if re.match(r"^(Args|Arguments|Parameters):$", stripped):
            section = "args"
            continue
        if re.match(r"^(Returns|Raises|Yields|Examples?|Notes?):$", stripped):
            section = "other"
            continue
        if section is None:
            summary_lines.append(line)
        elif section == "args":
            match = re.match(r"^(\w+)\s*(\([^)]*\))?:\s*(.*)$", stripped)
            if match and not line.startswith(" " * 8):
                current = match.group(1)
                args[current] = match.group(3)
            elif current and stripped:
                args[current] += " " + stripped
    summary = "\n".join(summary_lines).strip()
    return summary, args


def spec_from_method(name: str, method: Callable[..., Any]) -> ToolSpec:
    """Build a :class:`ToolSpec` from a bound method's signature and docstring."""
    summary, arg_docs = _docstring_parts(method.__doc__ or "")
    hints = get_type_hints(method)
    fields: dict[str, Any] = {}
    for param in inspect.signature(method).parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        annotation = hints.get(param.name, Any)
        default = ... if param.default is inspect.Parameter.empty else param.default
        fields[param.name] = (annotation, Field(default, description=arg_docs.get(param.name)))
    model = create_model(  # type: ignore[call-overload]
        f"{name}_arguments",
        __config__=ConfigDict(extra="forbid", strict=False),
        **fields,
    )
    return ToolSpec(name=name, description=summary, arguments=model, func=method)


def collect_tools(obj: object) -> dict[str, ToolSpec]:
    """Every ``@tool`` method of ``obj``, in definition order (base classes first)."""
    specs: dict[str, ToolSpec] = {}
    for klass in reversed(type(obj).__mro__):
        for name, member in vars(klass).items():
            if getattr(member, _TOOL_MARK, False):
                specs[name] = spec_from_method(name, getattr(obj, name))
    return specs
