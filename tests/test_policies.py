"""Policies: HF batch generation on the tiny model; OpenAI-compatible HTTP with retries."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from toolgym.agents import make_policy
from toolgym.agents.base import PolicyRequest

from toolgym.testing.fixtures import BASH_TOOL_SCHEMAS
from toolgym.toolcalls import parse_tool_calls

TOOLS = BASH_TOOL_SCHEMAS


def request(text: str) -> PolicyRequest:
    return PolicyRequest(messages=[{"role": "user", "content": text}], tools=TOOLS)


# -- HFPolicy ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny():
    pytest.importorskip("torch")
    from toolgym.testing import tiny_model

    return tiny_model()


def test_hf_batch_generation(tiny):
    from toolgym.agents.hf import HFPolicy, SamplingConfig

    policy = HFPolicy(tiny, sampling=SamplingConfig(max_new_tokens=12, batch_size=3), seed=0)
    prompts = ["short", "a much longer prompt " * 10, "medium length prompt here"]
    replies = policy.generate([request(p) for p in prompts + prompts[:2]])  # two forward passes
    assert len(replies) == 5
    for reply in replies:
        assert 0 < len(reply.token_ids) <= 12
        assert len(reply.logprobs) == len(reply.token_ids)
        assert all(lp <= 0.0 for lp in reply.logprobs)
        assert reply.meta["finish_reason"] in ("stop", "length")
        if reply.meta["finish_reason"] == "stop":
            assert reply.token_ids[-1] in policy.end_of_turn_ids
        assert reply.content == policy.decode(reply.token_ids)
    assert policy.device == "cpu"


def test_hf_left_padding_does_not_change_greedy_output(tiny):
    from toolgym.agents.hf import HFPolicy, SamplingConfig

    policy = HFPolicy(tiny, sampling=SamplingConfig(max_new_tokens=10, temperature=0))
    alone = policy.generate([request("list the files")])[0]
    batched = policy.generate(
        [request("list the files"), request("a far longer prompt that forces padding " * 5)]
    )[0]
    assert alone.token_ids == batched.token_ids


def test_hf_logprobs_match_a_forward_pass(tiny):
    import torch
    from toolgym.agents.hf import HFPolicy, SamplingConfig

    policy = HFPolicy(tiny, sampling=SamplingConfig(max_new_tokens=6), seed=1)
    prompt = policy.encode(policy.render(request("check").messages, TOOLS))
    completion = policy.generate_ids([prompt])[0]
    ids = torch.tensor([prompt + completion.token_ids])
    with torch.no_grad():
        logits = policy.model(ids).logits[0, len(prompt) - 1 : -1]
    expected = torch.log_softmax(logits.float(), -1)[
        torch.arange(len(completion.token_ids)), torch.tensor(completion.token_ids)
    ]
    assert completion.logprobs == pytest.approx(expected.tolist(), abs=1e-4)


def test_make_policy_validates_options():
    with pytest.raises(ValueError, match="needs --model"):
        make_policy("hf")
    with pytest.raises(ValueError, match="needs --base-url and --model"):
        make_policy("openai", model="m")
    with pytest.raises(ValueError, match="unknown agent"):
        make_policy("claude")


# -- OpenAIPolicy against a real HTTP server on 127.0.0.1 -------------------------------------


class FakeServer:
    """A scripted chat-completions server: replies are queued per request."""

    def __init__(self) -> None:
        self.script: list[tuple[int, dict | str, dict]] = []
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.active = 0
        self.max_active = 0
        self.delay = 0.0
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with owner.lock:
                    owner.requests.append(body)
                    owner.headers.append(dict(self.headers))
                    owner.active += 1
                    owner.max_active = max(owner.max_active, owner.active)
                    status, payload, extra = (
                        owner.script.pop(0) if owner.script else (200, reply("default"), {})
                    )
                time.sleep(owner.delay)
                data = payload if isinstance(payload, str) else json.dumps(payload)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for key, value in extra.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data.encode())
                with owner.lock:
                    owner.active -= 1

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def reply(content: str = "", tool_calls: list | None = None) -> dict:
    message: dict = {"role": "assistant", "content": content}
    if tool_calls is not None:
        message["tool_calls"] = tool_calls
    return {
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 5, "completion_tokens": 3},
    }


@pytest.fixture
def server():
    fake = FakeServer()
    yield fake
    fake.close()


def openai_policy(server, **options):
    from toolgym.agents.openai_api import OpenAIConfig, OpenAIPolicy

    config = OpenAIConfig(
        base_url=server.url, model="tiny", backoff_seconds=0.01, max_backoff_seconds=0.05, **options
    )
    return OpenAIPolicy(config)


def test_openai_native_tool_calls_and_request_shape(server, monkeypatch):
    monkeypatch.setenv("TOOLGYM_TEST_KEY", "sekrit")
    call = {
        "id": "call_abc",
        "type": "function",
        "function": {"name": "bash", "arguments": '{"command": "ls -la"}'},
    }
    server.script.append((200, reply("Looking.", [call]), {}))
    policy = openai_policy(server, api_key_env="TOOLGYM_TEST_KEY", temperature=0.3)
    history = [
        {"role": "user", "content": "go"},
        {"role": "assistant", "content": "", "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "call_abc", "name": "bash", "content": "a.txt"},
    ]
    out = policy.generate([PolicyRequest(history, TOOLS)])[0]
    policy.close()
    assert out.content == "Looking."
    assert [(c.name, c.arguments, c.id) for c in out.tool_calls] == [
        ("bash", {"command": "ls -la"}, "call_abc")
    ]
    assert "<tool_call>" in out.action_text()
    sent = server.requests[0]
    assert sent["model"] == "tiny" and sent["tools"] == TOOLS and sent["temperature"] == 0.3
    assert sent["messages"][2] == {
        "role": "tool",
        "content": "a.txt",
        "tool_call_id": "call_abc",
        "name": "bash",
    }
    assert server.headers[0]["Authorization"] == "Bearer sekrit"


def test_openai_text_tool_calls_are_parsed_by_the_environment(server):
    server.script.append(
        (200, reply('<tool_call>{"name": "bash", "arguments": {"command": "pwd"}}</tool_call>'), {})
    )
    policy = openai_policy(server)
    out = policy.generate([request("go")])[0]
    policy.close()
    assert out.tool_calls == []
    assert parse_tool_calls(out.action_text()).calls[0].arguments == {"command": "pwd"}


def test_openai_retries_429_and_5xx_with_backoff(server):
    server.script += [
        (429, {"error": "slow down"}, {"Retry-After": "0"}),
        (503, "overloaded", {}),
        (429, {"error": "again"}, {}),
        (200, reply("finally"), {}),
    ]
    policy = openai_policy(server)
    out = policy.generate([request("go")])[0]
    policy.close()
    assert out.content == "finally"
    assert policy.retries == 3 and len(server.requests) == 4


def test_openai_gives_up_after_max_retries(server):
    from toolgym.agents.openai_api import PolicyError

    server.script += [(500, "boom", {})] * 3
    policy = openai_policy(server, max_retries=2)
    with pytest.raises(PolicyError, match=r"failed after 3 attempts: HTTP 500"):
        policy.generate([request("go")])
    policy.close()


def test_openai_client_errors_are_not_retried(server):
    from toolgym.agents.openai_api import PolicyError

    server.script.append((400, {"error": {"message": "bad tools"}}, {}))
    policy = openai_policy(server)
    with pytest.raises(PolicyError, match=r"refused the request: HTTP 400.*bad tools"):
        policy.generate([request("go")])
    policy.close()
    assert len(server.requests) == 1


def test_openai_malformed_native_call_becomes_an_error_observation(server, backend, make_task):
    from toolgym.envs import ShellEnv

    bad = {
        "id": "c1",
        "type": "function",
        "function": {"name": "bash", "arguments": '{"command": "ls"'},
    }
    server.script.append((200, reply("", [bad]), {}))
    policy = openai_policy(server)
    out = policy.generate([request("go")])[0]
    policy.close()
    assert out.meta["malformed_call"]
    env = ShellEnv(make_task(), backend=backend)
    try:
        env.reset()
        observation, *_ = env.step(out.action_text())
        assert "arguments" in observation and "not JSON" in observation
    finally:
        env.close()


def test_openai_concurrency_limit(server):
    server.delay = 0.05
    policy = openai_policy(server, concurrency=3)
    replies = policy.generate([request(str(i)) for i in range(10)])
    policy.close()
    assert len(replies) == 10 and server.max_active <= 3 and server.max_active >= 2
