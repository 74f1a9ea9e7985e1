"""Mutation operators that plant realistic bugs in Python source, located with ``ast``.

Each operator finds sites in a function and rewrites only the text of one node (or removes one
statement's lines), so a bug patch is a one- or few-line change and formatting elsewhere is
untouched. Every candidate is checked: the mutated file must parse to exactly the tree
expected from the mutation, or the candidate is discarded.

Operators: ``flip_comparison`` (``<`` to ``<=``, ``==`` to ``!=``, ``in`` to ``not in``, ...),
``off_by_one`` (a slice bound or a ``range`` bound moved by one), ``drop_branch`` (an ``if``
without ``else`` removed), ``swap_arguments`` (the first two positional arguments of a call),
``change_default`` (a constant default value), ``remove_return`` (``return x`` becomes
``pass``).
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

OPERATORS = (
    "flip_comparison",
    "off_by_one",
    "drop_branch",
    "swap_arguments",
    "change_default",
    "remove_return",
)
_FLIPS: dict[type[ast.cmpop], tuple[type[ast.cmpop], str, str]] = {
    ast.Lt: (ast.LtE, r"<(?!=)", "<="),
    ast.LtE: (ast.Lt, r"<=", "<"),
    ast.Gt: (ast.GtE, r">(?!=)", ">="),
    ast.GtE: (ast.Gt, r">=", ">"),
    ast.Eq: (ast.NotEq, r"==", "!="),
    ast.NotEq: (ast.Eq, r"!=", "=="),
    ast.Is: (ast.IsNot, r"\bis\b", "is not"),
    ast.IsNot: (ast.Is, r"\bis\s+not\b", "is"),
    ast.In: (ast.NotIn, r"\bin\b", "not in"),
    ast.NotIn: (ast.In, r"\bnot\s+in\b", "in"),
}
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


@dataclass(frozen=True)
class Mutation:
    """One planted bug: where (file, function, line), how, and the file before and after."""

    file: str
    function: str
    operator: str
    line: int
    detail: str
    before: str
    after: str

    @property
    def key(self) -> str:
        """A stable id (the same mutation always has the same key)."""
        text = f"{self.file}\0{self.operator}\0{self.line}\0{self.after}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def bug_patch(self) -> str:
        return unified_patch(self.file, self.before, self.after)

    def fix_patch(self) -> str:
        return unified_patch(self.file, self.after, self.before)


def unified_patch(path: str, before: str, after: str, context: int = 3) -> str:
    """A git-style unified diff of one file (``git apply`` reads it)."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        f"a/{path}",
        f"b/{path}",
        n=context,
    )
    out = [f"diff --git a/{path} b/{path}\n"]
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


class _Source:
    """Source text with conversions from ``ast`` positions (UTF-8 byte columns) to offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def offset(self, lineno: int, col: int) -> int:
        line = self.lines[lineno - 1]
        return self.starts[lineno - 1] + len(line.encode()[:col].decode(errors="ignore"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (
            self.offset(node.lineno, node.col_offset),
            self.offset(node.end_lineno, node.end_col_offset),  # type: ignore[attr-defined]
        )

    def segment(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.text[start:end]


def _walk_scope(node: ast.AST) -> Iterator[ast.AST]:
    """Nodes of a function's own body (nested functions and classes are their own scopes)."""
    for child in ast.iter_child_nodes(node):
        yield child
        if not isinstance(child, _SCOPES):
            yield from _walk_scope(child)


def functions(tree: ast.Module) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Every function and method with its qualified name."""

    def visit(node: ast.AST, prefix: str) -> Iterator[tuple[str, ast.AST]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                yield name, child
                yield from visit(child, f"{name}.<locals>.")
            elif isinstance(child, ast.ClassDef):
                yield from visit(child, f"{prefix}{child.name}.")
            else:
                yield from visit(child, prefix)

    yield from visit(tree, "")  # type: ignore[misc]


def first_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[int]:
    """Lines a code object of ``node`` may report as its first (def or first decorator)."""
    lines = {node.lineno}
    if node.decorator_list:
        lines.add(min(d.lineno for d in node.decorator_list))
    return lines


@dataclass(frozen=True)
class Site:
    """A place a mutation could go; :meth:`build` makes (and checks) the mutation on demand,
    so enumerating a large package stays cheap."""

    file: str
    function: str
    operator: str
    line: int
    detail: str
    planner: _Planner
    make: Callable[[], Mutation | None]

    @property
    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.file, self.line, self.operator, self.detail)

    def build(self) -> Mutation | None:
        return self.make()


class _Planner:
    """Enumerates the mutation sites of one file and builds verified mutations."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.source = _Source(text)
        self.tree = ast.parse(text)
        self.parent: dict[int, ast.AST] = {}
        self.top: dict[int, int] = {}
        for index, stmt in enumerate(self.tree.body):
            for node in ast.walk(stmt):
                self.top[id(node)] = index
                for child in ast.iter_child_nodes(node):
                    self.parent[id(child)] = node

    def _expected(self, node: ast.AST, change: Callable[[], Callable[[], None]]) -> str:
        """The dump of ``node``'s top-level statement with ``change`` applied (then undone)."""
        undo = change()
        try:
            return ast.dump(self.tree.body[self.top[id(node)]])
        finally:
            undo()

    def _finish(
        self,
        node: ast.AST,
        start: int,
        end: int,
        replacement: str,
        expected: str,
        function: str,
        operator: str,
        detail: str,
    ) -> Mutation | None:
        text = self.source.text[:start] + replacement + self.source.text[end:]
        if text == self.source.text:
            return None
        try:
            parsed = ast.parse(text)
        except SyntaxError:
            return None
        index = self.top[id(node)]
        if len(parsed.body) != len(self.tree.body) or ast.dump(parsed.body[index]) != expected:
            return None
        return Mutation(self.path, function, operator, node.lineno, detail, self.source.text, text)

    def _site(
        self,
        node: ast.AST,
        function: str,
        operator: str,
        detail: str,
        make: Callable[[], Mutation | None],
    ) -> Site:
        return Site(self.path, function, operator, node.lineno, detail, self, make)

    def _replace_expr(
        self, node: ast.expr, replacement: str, function: str, operator: str, detail: str
    ) -> Site:
        def make() -> Mutation | None:
            try:
                new_node = ast.parse(replacement, mode="eval").body
            except SyntaxError:
                return None
            parent = self.parent[id(node)]

            def change() -> Callable[[], None]:
                _substitute(parent, node, new_node)
                return lambda: _substitute(parent, new_node, node)

            start, end = self.source.span(node)
            expected = self._expected(node, change)
            return self._finish(node, start, end, replacement, expected, function, operator, detail)

        return self._site(node, function, operator, detail, make)

    # -- operators --------------------------------------------------------------------------
    def flip_comparison(self, node: ast.AST, function: str) -> Iterator[Site]:
        if not isinstance(node, ast.Compare) or len(node.ops) != 1:
            return
        flip = _FLIPS.get(type(node.ops[0]))
        if flip is None:
            return
        new_op, pattern, token = flip
        gap_start = self.source.span(node.left)[1]
        gap_end = self.source.span(node.comparators[0])[0]
        match = re.search(pattern, self.source.text[gap_start:gap_end])
        if match is None:
            return
        detail = f"{match.group(0)} -> {token}"

        def make() -> Mutation | None:
            old_ops = node.ops

            def change() -> Callable[[], None]:
                node.ops = [new_op()]
                return lambda: setattr(node, "ops", old_ops)

            expected = self._expected(node, change)
            return self._finish(
                node,
                gap_start + match.start(),
                gap_start + match.end(),
                token,
                expected,
                function,
                "flip_comparison",
                detail,
            )

        yield self._site(node, function, "flip_comparison", detail, make)

    def off_by_one(self, node: ast.AST, function: str) -> Iterator[Site]:
        bounds: list[ast.expr] = []
        if isinstance(node, ast.Slice):
            bounds = [b for b in (node.lower, node.upper) if b is not None]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "range"
            and 1 <= len(node.args) <= 2
            and not node.keywords
        ):
            bounds = list(node.args)
        for bound in bounds:
            if bound.lineno != bound.end_lineno:
                continue
            text = self.source.segment(bound)
            for delta in ("+ 1", "- 1"):
                if isinstance(bound, ast.Constant) and type(bound.value) is int:
                    replacement = str(bound.value + (1 if delta == "+ 1" else -1))
                elif isinstance(bound, ast.Name | ast.Attribute | ast.Call | ast.Subscript):
                    replacement = f"{text} {delta}"
                else:
                    replacement = f"({text}) {delta}"
                yield self._replace_expr(
                    bound, replacement, function, "off_by_one", f"{text} -> {replacement}"
                )

    def swap_arguments(self, node: ast.AST, function: str) -> Iterator[Site]:
        if not isinstance(node, ast.Call) or len(node.args) < 2:
            return
        first, second = node.args[0], node.args[1]
        if any(isinstance(a, ast.Starred) for a in (first, second)):
            return
        a, b = self.source.segment(first), self.source.segment(second)
        if a == b or first.lineno != second.end_lineno:
            return

        def make() -> Mutation | None:
            def change() -> Callable[[], None]:
                node.args[0], node.args[1] = second, first
                return lambda: node.args.__setitem__(slice(0, 2), [first, second])

            expected = self._expected(node, change)
            start, middle_start = self.source.span(first)
            middle_end, end = self.source.span(second)
            middle = self.source.text[middle_start:middle_end]
            return self._finish(
                node,
                start,
                end,
                b + middle + a,
                expected,
                function,
                "swap_arguments",
                f"({a}, {b})",
            )

        yield self._site(node, function, "swap_arguments", f"({a}, {b})", make)

    def change_default(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, function: str
    ) -> Iterator[Site]:
        defaults = [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
        for default in defaults:
            if not isinstance(default, ast.Constant):
                continue
            value = default.value
            if isinstance(value, bool):
                replacement = repr(not value)
            elif isinstance(value, int):
                replacement = repr(value + 1)
            elif isinstance(value, float):
                replacement = repr(value * 2 if value else 1.0)
            elif isinstance(value, str):
                replacement = repr(value + "_" if value else " ")
            else:
                continue
            yield self._replace_expr(
                default, replacement, function, "change_default", f"{value!r} -> {replacement}"
            )

    def statement_removals(self, node: ast.AST, function: str) -> Iterator[Site]:
        """drop_branch (an ``if`` without ``else``) and remove_return (``return x``)."""
        for field_name in ("body", "orelse", "finalbody"):
            block = getattr(node, field_name, None)
            if not isinstance(block, list):
                continue
            for index, stmt in enumerate(block):
                if isinstance(stmt, ast.If) and not stmt.orelse:
                    detail = f"if {ast.unparse(stmt.test)[:60]}"
                    make = self._remove_statement(block, index, function, detail)
                    yield self._site(stmt, function, "drop_branch", detail, make)
                elif isinstance(stmt, ast.Return) and stmt.value is not None:
                    detail = ast.unparse(stmt)[:60]
                    make = self._return_to_pass(block, index, function, detail)
                    yield self._site(stmt, function, "remove_return", detail, make)

    def _remove_statement(
        self, block: list[ast.stmt], index: int, function: str, detail: str
    ) -> Callable[[], Mutation | None]:
        def make() -> Mutation | None:
            stmt = block[index]
            lines = self.source.lines
            first, last = stmt.lineno, stmt.end_lineno or stmt.lineno
            tail = lines[last - 1].encode()[stmt.end_col_offset or 0 :].decode(errors="ignore")
            if lines[first - 1].encode()[: stmt.col_offset].strip() or tail.strip():
                return None  # the statement shares a line with other code
            only = len(block) == 1
            indent = lines[first - 1][: len(lines[first - 1]) - len(lines[first - 1].lstrip())]

            def change() -> Callable[[], None]:
                block[index : index + 1] = [ast.Pass()] if only else []
                return lambda: block.__setitem__(slice(index, index + (1 if only else 0)), [stmt])

            expected = self._expected(stmt, change)
            start, end = self.source.starts[first - 1], self.source.starts[last]
            return self._finish(
                stmt,
                start,
                end,
                f"{indent}pass\n" if only else "",
                expected,
                function,
                "drop_branch",
                detail,
            )

        return make

    def _return_to_pass(
        self, block: list[ast.stmt], index: int, function: str, detail: str
    ) -> Callable[[], Mutation | None]:
        def make() -> Mutation | None:
            stmt = block[index]

            def change() -> Callable[[], None]:
                block[index] = ast.Pass()
                return lambda: block.__setitem__(index, stmt)

            expected = self._expected(stmt, change)
            start, end = self.source.span(stmt)
            return self._finish(
                stmt, start, end, "pass", expected, function, "remove_return", detail
            )

        return make

    # -- all of a function ------------------------------------------------------------------
    def sites(self, function: str, node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[Site]:
        found: list[Site] = []
        found += self.change_default(node, function)
        found += self.statement_removals(node, function)
        skip = {id(n) for n in [*node.args.defaults, *node.decorator_list]}
        for child in _walk_scope(node):
            if id(child) in skip:
                continue
            found += self.flip_comparison(child, function)
            found += self.off_by_one(child, function)
            found += self.swap_arguments(child, function)
            found += self.statement_removals(child, function)
        return found


def _substitute(parent: ast.AST, old: ast.AST, new: ast.AST) -> bool:
    for field_name, value in ast.iter_fields(parent):
        if value is old:
            setattr(parent, field_name, new)
            return True
        if isinstance(value, list):
            for index, item in enumerate(value):
                if item is old:
                    value[index] = new
                    return True
    return False


def file_sites(path: str, text: str, covered_lines: set[int] | None = None) -> list[Site]:
    """The mutation sites of the functions in one file (only functions whose first line is in
    ``covered_lines`` when given), in source order."""
    try:
        planner = _Planner(path, text)
    except SyntaxError:
        return []
    out: list[Site] = []
    for name, node in functions(planner.tree):
        if covered_lines is not None and not (first_lines(node) & covered_lines):
            continue
        out.extend(planner.sites(name, node))
    return sorted(out, key=lambda site: site.sort_key)


def file_mutations(path: str, text: str, covered_lines: set[int] | None = None) -> list[Mutation]:
    """Every verified mutation of one file (see :func:`file_sites`), in source order."""
    built = (site.build() for site in file_sites(path, text, covered_lines))
    unique: dict[str, Mutation] = {}
    for mutation in built:
        if mutation is not None:
            unique.setdefault(mutation.key, mutation)
    return list(unique.values())
