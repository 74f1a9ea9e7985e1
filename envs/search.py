"""``SearchEnv`` (``toolgym/Search-v0``): answer a question by searching a local corpus.

A sealed, deterministic stand-in for the web search that Search-R1-style training uses: the
agent gets a question and three tools, ``search`` (BM25 over a local index), ``open`` (a
document, page by page) and ``answer`` (ends the episode). Nothing the agent does runs code,
so there is no sandbox: the answer is graded in process against the task's hidden gold
answers (normalised exact match is the reward, token F1 is reported beside it). Parsing,
budgets and truncation are :class:`~toolgym.envs.base.ToolEnv`'s, as for ``ShellEnv``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from toolgym.envs.base import ToolEnv, ToolOutput

from toolgym.search.builtin import resolve_index
from toolgym.search.index import SearchIndex, open_index, paginate, snippet
from toolgym.search.normalize import exact_match, token_f1
from toolgym.search.spec import SearchSpec, search_spec
from toolgym.task import SCAFFOLD_MARKER, Task
from toolgym.task_rows import task_from_row
from toolgym.toolcalls import ToolCall
from toolgym.tools import tool
from toolgym.verifier import VerifierResult

DEFAULT_PAGE_CHARS = 2000
DEFAULT_SNIPPET_CHARS = 240
DEFAULT_MAX_RESULTS = 20


def task_index(task: Task, spec: SearchSpec | None = None) -> SearchIndex:
    """The opened index a search task names (the built-in one is built on first use)."""
    spec = spec or search_spec(task)
    return open_index(resolve_index(spec.index, task.base_dir))


class SearchEnv(ToolEnv):
    """A question over a local corpus, graded against hidden gold answers.

    Args:
        task: a search task: a task directory, a ``FILE.jsonl#ID`` row reference, a loaded
            :class:`~toolgym.task.Task`, or a row as a dict (``{id, question, answers,
            index}``; a relative index path then resolves against the working directory).
        max_steps: assistant messages allowed before the episode is truncated.
        agent_timeout: episode wall time (default: the task's ``[agent] timeout_sec``).
        page_chars: characters per page of ``open``.
        snippet_chars: characters of each search result's snippet.
        max_results: the most results one ``search`` call returns.
    """

    final_tools = frozenset({"answer"})

    def __init__(
        self,
        task: str | Path | Task | Mapping[str, Any],
        *,
        max_steps: int = 50,
        agent_timeout: float | None = None,
        page_chars: int = DEFAULT_PAGE_CHARS,
        snippet_chars: int = DEFAULT_SNIPPET_CHARS,
        max_results: int = DEFAULT_MAX_RESULTS,
        render_mode: str | None = None,
    ) -> None:
        if page_chars < 100 or snippet_chars < 20 or max_results < 1:
            raise ValueError(
                "page_chars must be at least 100, snippet_chars at least 20 and max_results "
                f"at least 1 (got {page_chars}, {snippet_chars}, {max_results})"
            )
        if isinstance(task, Mapping):
            task = task_from_row(dict(task))
        super().__init__(
            task, max_steps=max_steps, agent_timeout=agent_timeout, render_mode=render_mode
        )
        self.page_chars = page_chars
        self.snippet_chars = snippet_chars
        self.max_results = max_results
        self.task_spec: SearchSpec | None = None
        self.index: SearchIndex | None = None
        self._answer: str | None = None

    # -- episode lifecycle ------------------------------------------------------------------
    def prepare(self) -> None:
        """Validate the task, open (or build) its index, and check its gold documents exist."""
        spec = search_spec(self.task)
        index = task_index(self.task, spec)
        missing = [doc for doc in spec.support if doc not in index]
        if missing:
            raise ValueError(
                f"{self.task.id}: support: {', '.join(map(repr, missing))} not in the index "
                f"at {index.path}"
            )

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[str, dict[str, Any]]:
        if options and isinstance(options.get("task"), Mapping):
            options = {**options, "task": task_from_row(dict(options["task"]))}
        return super().reset(seed=seed, options=options)

    def instruction(self) -> str:
        spec = self.task_spec or search_spec(self.task)
        return (
            f"{spec.question.strip()}\n\n"
            "Find the answer in the document collection: search it, open documents to read "
            "them, then call answer with a short answer (a name, number or keyword)."
        )

    def _begin_episode(self, options: dict[str, Any]) -> None:
        self.task_spec = search_spec(self.task)
        self.index = task_index(self.task, self.task_spec)
        self._answer = None

    def _end_episode(self) -> None:
        self._answer = None

    def _grade(self) -> VerifierResult:
        assert self.task_spec is not None
        start = time.monotonic()
        if self._answer is None:
            return VerifierResult(
                0.0,
                {"exact_match": 0.0, "f1": 0.0},
                reason="no answer: the episode ended before the answer tool was called",
            )
        em = exact_match(self._answer, self.task_spec.answers)
        f1 = token_f1(self._answer, self.task_spec.answers)
        return VerifierResult(
            em,
            {"exact_match": em, "f1": round(f1, 6)},
            duration=time.monotonic() - start,
            output=f"answer: {self._answer!r}; gold: {self.task_spec.answers!r}",
        )

    # -- tools ------------------------------------------------------------------------------
    @tool
    def search(self, query: str, k: int = 5) -> ToolOutput:
        """Search the document collection and list the best matches with their ids.

        Args:
            query: keywords to look for.
            k: how many results to return (at most 20).
        """
        assert self.index is not None
        k = max(1, min(k, self.max_results))
        hits = self.index.search(query, k)
        if not hits:
            return ToolOutput(f"No documents match {query!r}. Try other keywords.")
        lines = [f"Top {len(hits)} results for {query!r}:"]
        for rank, hit in enumerate(hits, 1):
            document = self.index.document(hit.position)
            text = snippet(self.index, document.text, query, self.snippet_chars)
            lines += [f"{rank}. id: {hit.id}", f"   title: {hit.title}", f"   {text}"]
        meta = {"results": [hit.id for hit in hits]}
        return ToolOutput("\n".join(lines), meta=meta)

    @tool
    def open(self, id: str, page: int = 0) -> ToolOutput:
        """Read a document by its id, one page at a time.

        Args:
            id: the document id, as shown in search results.
            page: which page to read, from 0.
        """
        assert self.index is not None
        position = self.index.position(id.strip())
        if position is None:
            return ToolOutput(
                f"Error: no document has the id {id!r}. Use an id from the search results.",
                meta={"error": "unknown_id"},
            )
        document = self.index.document(position)
        pages = paginate(document.text, self.page_chars)
        if not 0 <= page < len(pages):
            return ToolOutput(
                f"Error: document {document.id!r} has pages 0 to {len(pages) - 1}, not {page}.",
                meta={"error": "no_such_page"},
            )
        header = f"Document {document.id}: {document.title}\n[page {page} of 0-{len(pages) - 1}]"
        footer = (
            f'\n[more: open(id="{document.id}", page={page + 1})]' if page + 1 < len(pages) else ""
        )
        meta = {"id": document.id, "page": page, "pages": len(pages)}
        return ToolOutput(f"{header}\n\n{pages[page]}{footer}", meta=meta)

    @tool
    def answer(self, text: str) -> ToolOutput:
        """Give your final answer: the episode ends and the answer is graded.

        Args:
            text: the answer, as short as possible (a name, number or keyword).
        """
        self._answer = text
        return ToolOutput("Answer recorded.", done=True)

    # -- reference agents -------------------------------------------------------------------
    @classmethod
    def oracle_call(cls, task: Task, turn: int) -> ToolCall:
        """For each gold document in turn: search its title, open it; then give the first
        gold answer."""
        spec = search_spec(task)
        hop, step = divmod(turn, 2)
        if hop >= len(spec.support):
            return ToolCall("answer", {"text": spec.answers[0]})
        doc_id = spec.support[hop]
        index = task_index(task, spec)
        position = index.position(doc_id)
        if position is None:
            raise ValueError(f"{task.id}: support document {doc_id!r} is not in {index.path}")
        if step == 0:
            return ToolCall("search", {"query": index.titles[position], "k": 5})
        return ToolCall("open", {"id": doc_id, "page": 0})

    @classmethod
    def task_template(cls, name: str, environment: str) -> dict[str, str]:
        files = super().task_template(name, environment)
        head = files["task.toml"].split("\n# ")[0]  # keep [toolgym], replace the placeholder
        files["task.toml"] = head + (
            "\n# Hidden from the agent. Find the supporting documents with: "
            "toolgym search builtin 'QUERY'\n"
            "[search]\n"
            f'answers = ["{SCAFFOLD_MARKER}: the short answer", "an accepted alias"]\n'
            'index = "builtin"  # a named index, or a path relative to this directory\n'
            f'support = ["{SCAFFOLD_MARKER}: id of the document that holds the answer"]\n'
        )
        files["instruction.md"] = (
            f"{SCAFFOLD_MARKER}: the question, with one short checkable answer (a name, number "
            "or keyword) that the collection's documents support.\n"
        )
        return files

    @classmethod
    def null_call(cls) -> ToolCall:
        return ToolCall("answer", {"text": ""})

    @classmethod
    def hacker_calls(cls, task: Task) -> list[ToolCall]:
        """Try to read outside the corpus (index files, task files), then answer with the
        question itself: a task whose answer is in its own question gives this reward 1."""
        question = search_spec(task).question
        return [
            ToolCall("open", {"id": "../toolgym-index.json", "page": 0}),
            ToolCall("open", {"id": str(task.path), "page": 0}),
            ToolCall("search", {"query": "answers gold support index", "k": 20}),
            ToolCall("answer", {"text": question}),
        ]
