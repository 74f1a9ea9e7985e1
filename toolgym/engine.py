"""The rollout engine: one policy drives up to B environments at once.

Every turn, all live episodes that wait for the policy are sent to it as one batch; the
environment steps then run concurrently in a thread pool, and as each step returns, that
episode's bookkeeping (messages, token accounting) is done right away while other steps still
run. An episode that ends is reported through ``on_finish`` and its slot is refilled from the
job queue at once (its environment is reused; a new task is switched in at reset).

With a token-level policy (see :mod:`toolgym.tokens`), each episode also gets a
:class:`~toolgym.tokens.TokenRecord`: exact prompt/completion token ids, log-probabilities and
a loss mask built by appending, never by re-tokenising the conversation.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from toolgym.agents.base import AssistantMessage, Policy, PolicyRequest
from toolgym.envs.base import ToolEnv
from toolgym.rollout import Episode, assistant_message, observation_messages
from toolgym.sandbox.pool import lower_thread_priority
from toolgym.task import Task
from toolgym.tokens import TokenRecord, TurnTokenizer, supports_tokens


@dataclass
class EpisodeJob:
    """One episode to run."""

    task: Task
    sample: int = 0
    seed: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class EngineStats:
    """Where the engine's wall time went (for benchmarks and logs)."""

    wall_seconds: float = 0.0
    generate_seconds: float = 0.0
    generate_calls: int = 0
    episodes: int = 0
    turns: int = 0
    startup_seconds: float = 0.0  # before the first policy call (the first resets)
    drain_seconds: float = 0.0  # after the last policy call (the last steps and grading)

    @property
    def overhead_fraction(self) -> float:
        """Share of wall time spent outside the policy (environments and bookkeeping)."""
        if self.wall_seconds <= 0:
            return 0.0
        return 1.0 - self.generate_seconds / self.wall_seconds

    @property
    def steady_overhead_fraction(self) -> float:
        """The same, without the run's start-up and drain (what a long run converges to)."""
        middle = self.wall_seconds - self.startup_seconds - self.drain_seconds
        return 0.0 if middle <= 0 else 1.0 - self.generate_seconds / middle


@dataclass
class _Slot:
    env: ToolEnv
    job: EpisodeJob
    episode: Episode
    tools: list[dict[str, Any]]
    tokens: TokenRecord | None = None
    turn_tokenizer: TurnTokenizer | None = None


FinishCallback = Callable[[EpisodeJob, Episode, TokenRecord | None], None]
ErrorCallback = Callable[[EpisodeJob, BaseException], None]


class RolloutEngine:
    """Runs jobs through ``batch_size`` concurrent episodes of one policy."""

    def __init__(
        self,
        policy: Policy,
        env_factory: Callable[[Task], ToolEnv],
        batch_size: int = 64,
        workers: int | None = None,
        token_level: bool | None = None,
        lookahead: int | None = None,
        straggler_wait: float = 0.5,
        straggler_fraction: float = 0.25,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.policy = policy
        self.env_factory = env_factory
        self.batch_size = batch_size
        self.workers = workers or min(batch_size, 32)
        # How many upcoming jobs get their sandboxes started in the background.
        self.lookahead = batch_size if lookahead is None else lookahead
        # How many finished episodes may wait for grading before slots stop being refilled
        # early (a bound on live sandboxes: batch_size generating + this many grading).
        self.max_grading = max(batch_size, 4)
        self.grading_workers = max(self.workers, 4)
        # How long the batch waits for slow agent steps once half of it is ready (resets are
        # always waited for): at least straggler_wait seconds, or straggler_fraction of the
        # last policy call. A straggler that misses the batch costs a policy call of its own
        # later, and a local model's call costs about the same for 10 prompts as for 64
        # (host-bound decoding), so waiting a fraction of a call for it is the cheaper side
        # (seen on the CPU: a 2-turn rollout at batch 64 made 3 calls instead of 2).
        self.straggler_wait = straggler_wait
        self.straggler_fraction = straggler_fraction
        self._last_call_seconds = 0.0
        self.token_level = supports_tokens(policy) if token_level is None else token_level
        if self.token_level and not supports_tokens(policy):
            raise ValueError(f"policy {policy.name!r} does not expose token ids")
        self.stats = EngineStats()
        self._turn_tokenizers: dict[str, TurnTokenizer] = {}
        self._idle_envs: list[ToolEnv] = []
        self._lock = threading.Lock()

    # -- episode lifecycle ------------------------------------------------------------------
    def _env_for(self, job: EpisodeJob) -> ToolEnv:
        with self._lock:
            env = self._idle_envs.pop() if self._idle_envs else None
        return env if env is not None else self.env_factory(job.task)

    def _start(self, job: EpisodeJob, env: ToolEnv | None = None) -> _Slot:
        env = env or self._env_for(job)
        options = {"task": job.task} if env.task.path != job.task.path else None
        started = time.monotonic()
        observation, info = env.reset(seed=job.seed, options=options)
        episode = Episode(
            task_id=job.task.id, seed=job.seed, messages=[{"role": "user", "content": observation}]
        )
        episode.reset_seconds = time.monotonic() - started
        episode.tools = info["tools"]
        slot = _Slot(env, job, episode, info["tools"])
        if self.token_level:
            key = repr(slot.tools)
            with self._lock:
                if key not in self._turn_tokenizers:
                    self._turn_tokenizers[key] = TurnTokenizer(self.policy, slot.tools)  # type: ignore[arg-type]
                slot.turn_tokenizer = self._turn_tokenizers[key]
            slot.tokens = slot.turn_tokenizer.start(episode.messages)
        return slot

    def _advance(self, slot: _Slot, reply: AssistantMessage, policy_seconds: float) -> bool:
        """Step the environment with the reply and record the turn; True when it ended."""
        episode = slot.episode
        tick = time.monotonic()
        observation, reward, terminated, truncated, info = slot.env.step(reply.action_text())
        episode.env_seconds += time.monotonic() - tick
        episode.agent_seconds += policy_seconds
        episode.steps += 1
        new_messages = observation_messages(observation, info)
        episode.messages.append(assistant_message(reply, info))
        episode.messages.extend(new_messages)
        episode.tool_results += [{"step": episode.steps, **r} for r in info["tool_results"]]
        if slot.tokens is not None and slot.turn_tokenizer is not None:
            slot.turn_tokenizer.add_completion(
                slot.tokens,
                reply.token_ids or [],
                reply.logprobs,
                str(reply.meta.get("finish_reason", "stop")),
            )
            if not (terminated or truncated):
                slot.turn_tokenizer.add_observation(slot.tokens, new_messages)
        if terminated or truncated:
            episode.reward = reward
            episode.terminated = terminated
            episode.truncation = info.get("truncation")
            episode.verifier = info.get("verifier", {})
            episode.finished_at = time.time()
            return True
        return False

    # -- policy -----------------------------------------------------------------------------
    def _generate(self, slots: list[_Slot]) -> list[AssistantMessage]:
        start = time.monotonic()
        if self.stats.generate_calls == 0:
            self.stats.startup_seconds = start - self._run_started
        if self.token_level:
            prompts = [slot.tokens.ids for slot in slots]  # type: ignore[union-attr]
            completions = self.policy.generate_ids(prompts)  # type: ignore[attr-defined]
            replies = [
                AssistantMessage(
                    content=c.text,
                    token_ids=c.token_ids,
                    logprobs=c.logprobs,
                    meta={"finish_reason": c.finish_reason},
                )
                for c in completions
            ]
        else:
            replies = self.policy.generate(
                [
                    PolicyRequest(s.episode.messages, s.tools, s.job.task, s.episode.episode_id)
                    for s in slots
                ]
            )
        self._last_generated = time.monotonic()
        self._last_call_seconds = self._last_generated - start
        self.stats.generate_seconds += self._last_call_seconds
        self.stats.generate_calls += 1
        return replies

    def _straggler_budget(self) -> float:
        """Seconds a half-ready batch waits for the rest (see ``straggler_fraction``)."""
        return max(self.straggler_wait, self.straggler_fraction * self._last_call_seconds)

    # -- the loop ---------------------------------------------------------------------------
    def run(
        self,
        jobs: Iterable[EpisodeJob],
        on_finish: FinishCallback,
        on_error: ErrorCallback | None = None,
    ) -> EngineStats:
        """Run every job; ``on_finish`` is called (in the engine's thread) as each ends.

        Scheduling: the policy is called for every episode that waits for it once all quick
        work in flight is done (resets, and steps that do not end an episode). A step that
        ends its episode (a ``submit``, the last allowed step) is graded in the background,
        overlapping the next generation call, and a new episode takes its slot at once (its
        sandbox was started ahead, see ``lookahead``), so ``batch_size`` episodes generate
        together while finished ones are still being graded.

        An episode that fails for a reason outside the agent (its environment could not be
        made, a sandbox died) goes to ``on_error`` and the run goes on; without ``on_error``
        the exception propagates.
        """
        queue: Iterator[EpisodeJob] = iter(jobs)
        start = self._run_started = self._last_generated = time.monotonic()
        ready: list[_Slot] = []
        quick: dict[Future[Any], tuple[str, Any]] = {}  # resets and ordinary steps
        final: dict[Future[Any], tuple[str, Any]] = {}  # steps that end an episode
        primed: deque[tuple[EpisodeJob, ToolEnv]] = deque()  # next jobs, sandboxes starting
        refilled: set[Future[Any]] = set()  # final steps whose slot was already refilled

        def failed(job: EpisodeJob, exc: BaseException) -> None:
            if on_error is None:
                raise exc
            on_error(job, exc)

        with (
            ThreadPoolExecutor(self.workers, thread_name_prefix="toolgym-step") as steps,
            ThreadPoolExecutor(
                self.grading_workers,
                thread_name_prefix="toolgym-grade",
                initializer=lower_thread_priority,
            ) as grading,
        ):

            def prime_ahead() -> None:
                """Start sandboxes for the next jobs now, so their resets only swap them in."""
                while len(primed) < self.lookahead:
                    upcoming = _take(queue, 1)
                    if not upcoming:
                        return
                    env = self._env_for(upcoming[0])
                    prime = getattr(env, "prime", None)
                    if prime is not None:
                        grading.submit(prime, upcoming[0].task)
                    primed.append((upcoming[0], env))

            def refill(count: int) -> None:
                for _ in range(count):
                    if primed:
                        job, env = primed.popleft()
                    else:
                        taken = _take(queue, 1)
                        if not taken:
                            break
                        job, env = taken[0], None
                    quick[steps.submit(self._start, job, env)] = ("reset", job)
                prime_ahead()

            def settle(future: Future[Any]) -> None:
                # A final step's slot may have been refilled when it was dispatched; any other
                # step's slot is refilled here if its episode ended (or failed) after all.
                is_final = future in final and future in refilled
                refilled.discard(future)
                kind, subject = quick.pop(future, None) or final.pop(future)
                if kind == "reset":
                    try:
                        ready.append(future.result())
                    except Exception as exc:
                        failed(subject, exc)
                        refill(1)
                    return
                slot: _Slot = subject
                try:
                    ended = future.result()
                except Exception as exc:
                    slot.env.close()  # in an unknown state: never reused
                    failed(slot.job, exc)
                    if not is_final:
                        refill(1)
                    return
                if not ended:
                    ready.append(slot)  # predicted to end but did not: it goes on
                    return
                with self._lock:
                    self._idle_envs.append(slot.env)
                if not is_final:
                    refill(1)
                self.stats.episodes += 1
                on_finish(slot.job, slot.episode, slot.tokens)

            refill(self.batch_size)
            try:
                while ready or quick or final:
                    # The next batch waits for quick work only: every reset (sandbox starts
                    # are bounded and not the agent's doing), and agent steps until half the
                    # batch is ready, then only a bounded time: stragglers join the batch after.
                    deadline = None
                    while quick:
                        timeout = (
                            None if deadline is None else max(0.0, deadline - time.monotonic())
                        )
                        done, _ = wait([*quick, *final], timeout, FIRST_COMPLETED)
                        if not done:
                            break
                        for future in done:
                            settle(future)
                        resetting = any(kind == "reset" for kind, _ in quick.values())
                        if (
                            deadline is None
                            and ready
                            and not resetting
                            and len(ready) >= len(quick)
                        ):
                            deadline = time.monotonic() + self._straggler_budget()
                    for future in [f for f in final if f.done()]:
                        settle(future)
                    if not ready:
                        if final:
                            settle(next(iter(wait(list(final), return_when=FIRST_COMPLETED)[0])))
                        continue
                    batch, ready[:] = list(ready), []
                    tick = time.monotonic()
                    replies = self._generate(batch)
                    policy_seconds = time.monotonic() - tick
                    self.stats.turns += len(batch)
                    for slot, reply in zip(batch, replies, strict=True):
                        action = reply.action_text()
                        if slot.env.will_end(action):
                            # Graded in the background; a new episode takes the slot now,
                            # unless too many wait for grading (then when this one is done).
                            future = grading.submit(self._advance, slot, reply, policy_seconds)
                            final[future] = ("step", slot)
                            if len(final) <= self.max_grading:
                                refilled.add(future)
                                refill(1)
                        else:
                            future = steps.submit(self._advance, slot, reply, policy_seconds)
                            quick[future] = ("step", slot)
            finally:
                for future in [*quick, *final]:
                    future.cancel()
                with self._lock:
                    self._idle_envs += [env for _job, env in primed]
        end = time.monotonic()
        self.stats.wall_seconds += end - start
        self.stats.drain_seconds += end - self._last_generated
        return self.stats

    def close(self) -> None:
        """Close the environments the engine keeps for reuse."""
        while self._idle_envs:
            self._idle_envs.pop().close()


def _take(iterator: Iterator[EpisodeJob], count: int) -> list[EpisodeJob]:
    out = []
    for _ in range(count):
        try:
            out.append(next(iterator))
        except StopIteration:
            break
    return out
