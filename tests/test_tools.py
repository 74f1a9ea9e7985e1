"""Tool schemas derive from typed methods and docstrings; arguments are validated."""

from __future__ import annotations

import pytest

from toolgym.tools import collect_tools, tool


class Example:
    @tool
    def search(self, query: str, k: int = 5, exact: bool | None = None) -> str:
        """Search the corpus.

        Longer explanation that is not the summary line.

        Args:
            query: what to look for,
                over two lines.
            k: how many results.
            exact: match whole words only.
        """
        return f"{query}:{k}:{exact}"

    def helper(self) -> None:
        """Not a tool."""


def test_schema_in_openai_function_format():
    specs = collect_tools(Example())
    assert list(specs) == ["search"]
    schema = specs["search"].schema()
    function = schema["function"]
    assert schema["type"] == "function"
    assert function["name"] == "search"
    assert function["description"].startswith("Search the corpus.")
    params = function["parameters"]
    assert params["required"] == ["query"]
    assert params["properties"]["query"] == {
        "type": "string",
        "description": "what to look for, over two lines.",
    }
    assert params["properties"]["k"]["type"] == "integer"
    assert params["properties"]["k"]["default"] == 5
    assert params["properties"]["exact"]["type"] == "boolean"
    assert specs["search"].signature_text() == "search(query: string, k?: integer, exact?: boolean)"


def test_validation_coerces_and_reports():
    spec = collect_tools(Example())["search"]
    assert spec.validate({"query": "x", "k": "3"}) == {"query": "x", "k": 3, "exact": None}
    with pytest.raises(ValueError, match="query: Field required"):
        spec.validate({})
    with pytest.raises(ValueError, match="k: Input should be a valid integer"):
        spec.validate({"query": "x", "k": "many"})
    with pytest.raises(ValueError, match="bogus: Extra inputs are not permitted"):
        spec.validate({"query": "x", "bogus": 1})
