"""``OpenAIPolicy``: any OpenAI-compatible chat completions server (vLLM, SGLang, hosted APIs).

Each conversation is one ``POST {base_url}/chat/completions`` with the tool schemas; up to
``concurrency`` requests are in flight at once. Native tool calls in the response are used as
they are; a server without tool-call parsing returns the calls as text, which the environment
parses (Hermes, Llama 3 or plain JSON forms). Rate limits (429) and server errors (5xx, timeouts,
dropped connections) are retried with exponential backoff and jitter, honouring
``Retry-After``; other errors (400, 401, ...) are raised at once with the server's message.
"""

from __future__ import annotations

import json
import os
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
from toolgym.agents.base import AssistantMessage, Message, Policy, PolicyRequest

from toolgym.toolcalls import ToolCall

RETRYABLE = {408, 409, 425, 429, 500, 502, 503, 504}


class PolicyError(RuntimeError):
    """The server refused a request (or kept failing after every retry)."""


@dataclass
class OpenAIConfig:
    """Where and how to call the server. The API key is read from ``api_key_env``."""

    base_url: str = "http://127.0.0.1:8000/v1"
    model: str = "default"
    api_key_env: str = "OPENAI_API_KEY"
    temperature: float = 1.0
    top_p: float = 1.0
    max_tokens: int = 1024
    concurrency: int = 16
    max_retries: int = 6
    backoff_seconds: float = 0.5
    max_backoff_seconds: float = 30.0
    timeout_seconds: float = 600.0
    native_tools: bool = True  # send `tools=`; off for servers without tool-call support


class OpenAIPolicy(Policy):
    """Chat completions over HTTP, a batch of conversations at a time."""

    name = "openai"

    def __init__(self, config: OpenAIConfig | None = None, **overrides: Any) -> None:
        self.config = config or OpenAIConfig(**overrides)
        headers = {"Content-Type": "application/json"}
        key = os.environ.get(self.config.api_key_env)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        self.client = httpx.Client(
            base_url=self.config.base_url.rstrip("/"),
            headers=headers,
            timeout=self.config.timeout_seconds,
            limits=httpx.Limits(max_connections=self.config.concurrency),
        )
        self._pool = ThreadPoolExecutor(
            max_workers=max(1, self.config.concurrency), thread_name_prefix="toolgym-openai"
        )
        self.retries = 0

    def generate(self, requests: list[PolicyRequest]) -> list[AssistantMessage]:
        return list(self._pool.map(self._complete, requests))

    def payload(self, messages: list[Message], tools: list[dict[str, Any]]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.config.model,
            "messages": [_wire_message(m) for m in messages],
            "temperature": self.config.temperature,
            "top_p": self.config.top_p,
            "max_tokens": self.config.max_tokens,
        }
        if tools and self.config.native_tools:
            body["tools"] = tools
        return body

    def _complete(self, request: PolicyRequest) -> AssistantMessage:
        data = self._post("/chat/completions", self.payload(request.messages, request.tools))
        try:
            choice = data["choices"][0]
            message = choice["message"]
        except (KeyError, IndexError, TypeError):
            raise PolicyError(f"unexpected response shape: {json.dumps(data)[:300]}") from None
        calls = []
        for raw in message.get("tool_calls") or []:
            function = raw.get("function") or {}
            arguments = function.get("arguments") or "{}"
            try:
                parsed = json.loads(arguments) if isinstance(arguments, str) else arguments
            except json.JSONDecodeError:
                parsed = None
            if not isinstance(parsed, dict):
                # Keep the malformed call visible: the environment explains the error.
                return AssistantMessage(
                    content=(message.get("content") or "")
                    + "\n<tool_call>"
                    + json.dumps({"name": function.get("name"), "arguments": arguments})
                    + "</tool_call>",
                    meta={"finish_reason": choice.get("finish_reason"), "malformed_call": True},
                )
            calls.append(
                ToolCall(
                    function.get("name") or "", parsed, id=raw.get("id") or ToolCall("", {}).id
                )
            )
        usage = data.get("usage") or {}
        return AssistantMessage(
            content=message.get("content") or "",
            tool_calls=calls,
            meta={"finish_reason": choice.get("finish_reason"), "usage": usage},
        )

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        config = self.config
        delay = config.backoff_seconds
        for attempt in range(config.max_retries + 1):
            try:
                response = self.client.post(path, json=body)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                problem = f"{type(exc).__name__}: {exc}"
                wait = delay
            else:
                if response.status_code < 300:
                    try:
                        return response.json()
                    except json.JSONDecodeError:
                        raise PolicyError(f"non-JSON response: {response.text[:300]}") from None
                problem = f"HTTP {response.status_code}: {response.text[:300]}"
                if response.status_code not in RETRYABLE:
                    raise PolicyError(f"{config.base_url}{path} refused the request: {problem}")
                wait = _retry_after(response) or delay
            if attempt == config.max_retries:
                break
            self.retries += 1
            time.sleep(min(wait, config.max_backoff_seconds) * (1 + 0.25 * random.random()))
            delay = min(delay * 2, config.max_backoff_seconds)
        raise PolicyError(
            f"{config.base_url}{path} failed after {config.max_retries + 1} attempts: {problem}"
        )

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self.client.close()


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _wire_message(message: Message) -> Message:
    """A message as the API expects it (no empty optional fields)."""
    out: Message = {"role": message["role"], "content": message.get("content") or ""}
    if message.get("tool_calls"):
        out["tool_calls"] = message["tool_calls"]
    if message["role"] == "tool":
        out["tool_call_id"] = message.get("tool_call_id")
        if message.get("name"):
            out["name"] = message["name"]
    return out
