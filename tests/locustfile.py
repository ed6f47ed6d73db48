"""Locust users for the gateway (`quorum serve`), used by bench/load.py.

    locust -f tests/locustfile.py --headless -u 50 -r 50 -t 30s --host http://127.0.0.1:8000 CacheHitUser

- CacheHitUser: repeats a prompt that was verified once, so every request is an exact cache hit; each
  user sends 20 requests per second (50 users: 1,000 requests/s offered).
- FullVerifyUser: a fresh verification each time (`no_cache`), through every configured provider, with
  1 to 3 s of think time between verdicts, as a person or an editor plugin would.
- SaturatingVerifyUser: full verifications back to back, no think time: measures capacity.
A 429 with Retry-After is the gateway's deliberate answer to overload: it is counted under its own name,
not as a failure.
"""

from __future__ import annotations

import itertools
import os

from locust import FastHttpUser, between, constant, constant_throughput, task

HIT_PROMPT = os.environ.get(
    "QUORUM_LOAD_PROMPT", "Write a Python function `add(a, b)` that returns the sum.\n\n>>> add(2, 3)\n5\n"
)
_counter = itertools.count()


class _Verifier(FastHttpUser):
    abstract = True

    def post_verify(self, body: dict[str, object], name: str) -> None:
        with self.client.post("/v1/verify", json=body, name=name, catch_response=True) as response:
            if response.status_code == 429:
                response.success()
                self.environment.events.request.fire(
                    request_type="POST",
                    name=f"{name} (429 overload)",
                    response_time=0,
                    response_length=0,
                    exception=None,
                    context={},
                )
            elif response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
            elif '"verdict"' not in response.text:
                response.failure("no verdict in the reply")


class CacheHitUser(_Verifier):
    wait_time = constant_throughput(20)

    @task
    def repeated_prompt(self) -> None:
        self.post_verify({"prompt": HIT_PROMPT}, "verify (cache hit)")


class FullVerifyUser(_Verifier):
    wait_time = between(1, 3)

    @task
    def fresh_prompt(self) -> None:
        prompt = HIT_PROMPT + f"\n# request {next(_counter)}\n"
        self.post_verify({"prompt": prompt, "no_cache": True}, "verify (full)")


class SaturatingVerifyUser(FullVerifyUser):
    wait_time = constant(0)
