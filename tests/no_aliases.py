"""A Milvus client whose engine has no collection aliases, as the compiled Milvus Lite 2.5 answers: every alias
call fails with gRPC status UNIMPLEMENTED. `patch()` is for a subprocess; tests use `monkeypatch` with `ALIAS_CALLS`."""

from __future__ import annotations

import grpc
from pymilvus import MilvusClient

ALIAS_CALLS = ("list_aliases", "create_alias", "alter_alias")


class Unimplemented(grpc.RpcError):
    def code(self) -> grpc.StatusCode:
        return grpc.StatusCode.UNIMPLEMENTED

    def details(self) -> str:
        return "aliases"


def unimplemented(*args: object, **kwargs: object) -> None:
    raise Unimplemented()


def patch() -> None:
    for method in ALIAS_CALLS:
        setattr(MilvusClient, method, unimplemented)
