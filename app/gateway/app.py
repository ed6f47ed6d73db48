"""The HTTP routes: /v1/verify, the OpenAI-compatible /v1/chat/completions, providers, health, metrics."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from app import __version__
from app.config.settings import Settings
from app.core.errors import QuorumError, UserError
from app.gateway.admission import Overloaded
from app.gateway.openai_format import ChatBody, chat_chunks, chat_completion, prompt_and_providers
from app.gateway.service import ClientGone, GatewayService

__all__ = ["create_app"]

_log = logging.getLogger(__name__)
_JSON = "application/json"


class VerifyBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    prompt: str
    providers: list[str] | None = Field(default=None, max_length=32)
    tests: str | None = None
    no_cache: bool = False


def create_app(settings: Settings, *, token: str | None) -> FastAPI:
    """The gateway. `token`: when set, every /v1 route needs `Authorization: Bearer <token>`."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service = await GatewayService.open(settings)
        app.state.service = service
        warm = asyncio.create_task(service.warm_up())
        try:
            yield
        finally:
            warm.cancel()
            await service.aclose()

    app = FastAPI(
        title="Quorum gateway", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    limit = settings.gateway.max_prompt_chars

    def service_of(request: Request) -> GatewayService:
        service: GatewayService = request.app.state.service
        return service

    if token:
        app.add_middleware(_BearerToken, token=token)

    app.add_exception_handler(Exception, _internal_error)
    app.add_exception_handler(RequestValidationError, _invalid_body)  # type: ignore[arg-type]

    @app.post("/v1/verify")
    async def verify(body: VerifyBody, request: Request) -> Response:
        if len(body.prompt) > limit:
            return _error(
                413,
                f"the prompt is {len(body.prompt)} characters long; the limit is {limit}",
                "invalid_request_error",
            )
        service = service_of(request)
        cached = None if body.no_cache else service.exact_reply(body.prompt, body.providers, body.tests)
        if cached is not None:
            return Response(cached, media_type=_JSON)
        result = await _run(
            request,
            service_of(request),
            body.prompt,
            body.providers,
            tests=body.tests,
            no_cache=body.no_cache,
        )
        if isinstance(result, Response):
            return result
        return Response(json.dumps(result.to_json(), ensure_ascii=False), media_type=_JSON)

    @app.post("/v1/chat/completions")
    async def chat(body: ChatBody, request: Request) -> Response:
        try:
            prompt, providers = prompt_and_providers(body)
        except UserError as error:
            return _error(400, str(error), "invalid_request_error")
        if len(prompt) > limit:
            return _error(
                413,
                f"the prompt is {len(prompt)} characters long; the limit is {limit}",
                "invalid_request_error",
            )
        hit = service_of(request).exact_hit(prompt, providers, None)
        if hit is not None:
            result = hit.verify_result(prompt.strip())
        else:
            result = await _run(request, service_of(request), prompt, providers, tests=None, no_cache=False)
        if isinstance(result, Response):
            return result
        if body.stream:
            return StreamingResponse(chat_chunks(result, body.model), media_type="text/event-stream")
        return JSONResponse(chat_completion(result, body.model))

    @app.get("/v1/models")
    async def models(request: Request) -> dict[str, Any]:
        names = [entry["name"] for entry in service_of(request).providers()]
        ids = ["quorum", *(f"quorum:{name}" for name in names)]
        return {"object": "list", "data": [{"id": i, "object": "model", "owned_by": "quorum"} for i in ids]}

    @app.get("/v1/providers")
    async def providers(request: Request) -> dict[str, Any]:
        return {"providers": service_of(request).providers()}

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz(request: Request) -> Response:
        ready = service_of(request).ready
        status = 200 if ready and all(ready.values()) else 503
        return JSONResponse({"ready": status == 200, **ready}, status_code=status)

    @app.get("/metrics")
    async def metrics(request: Request) -> Response:
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        registry = service_of(request).pipeline.metrics.registry
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return app


async def _run(
    request: Request,
    service: GatewayService,
    prompt: str,
    providers: list[str] | None,
    *,
    tests: str | None,
    no_cache: bool,
) -> Any:
    """The verification, or the error response that replaces it."""
    try:
        return await service.verify(
            prompt,
            providers=providers,
            tests=tests,
            no_cache=no_cache,
            is_disconnected=request.is_disconnected,
        )
    except Overloaded as busy:
        return _error(
            429,
            "too many verifications in progress; try again later",
            "rate_limit_error",
            headers={"Retry-After": str(busy.retry_after_s)},
        )
    except ClientGone:
        return Response(status_code=499)
    except UserError as error:
        return _error(400, str(error), "invalid_request_error")
    except QuorumError as error:
        _log.warning("verification failed: %s", error)
        return _error(500, str(error), "server_error")


class _BearerToken:
    """Plain ASGI middleware (not BaseHTTPMiddleware, which hides client disconnects from the routes)."""

    def __init__(self, app: Any, token: str) -> None:
        self.app = app
        self.token = token.encode()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith("/v1/"):
            headers = dict(scope.get("headers") or [])
            scheme, _, value = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), self.token):
                refusal = _error(
                    401,
                    "missing or wrong bearer token",
                    "authentication_error",
                    headers={"WWW-Authenticate": "Bearer"},
                )
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _internal_error(request: Request, error: Exception) -> Response:
    # A bug of ours: the traceback goes to the log file, the client gets one clear line.
    _log.error("internal error on %s %s", request.method, request.url.path, exc_info=error)
    return _error(500, "internal error in the gateway (details in its log file)", "server_error")


async def _invalid_body(request: Request, error: RequestValidationError) -> Response:
    problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()]
    return _error(422, "; ".join(problems) or "invalid request body", "invalid_request_error")


def _error(status: int, message: str, kind: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """OpenAI-style error bodies, so OpenAI clients show the message."""
    return JSONResponse(
        {"error": {"message": message, "type": kind, "code": status}}, status_code=status, headers=headers
    )
