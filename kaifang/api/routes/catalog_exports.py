"""Catalog exports: DCAT-AP 3 as JSON-LD, Turtle or RDF/XML (paged), and the concept scheme
of the national service categories that the catalog's themes point at."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from kaifang.api.responses import errors, request_key
from kaifang.catalog.rdf import RDF_FORMATS, negotiate, serialize
from kaifang.service.access import link_base, service_of

router = APIRouter(tags=["catalog exports"], responses=errors(422, 500))

CATALOG_SCHEMA = {
    "type": "object",
    "required": ["@context", "@id", "@type", "dcat:dataset"],
    "properties": {
        "@context": {"type": "object"},
        "@id": {"type": "string"},
        "@type": {"type": "string"},
        "hydra:totalItems": {"type": "integer"},
        "dcat:dataset": {"type": "array", "items": {"type": "object"}},
    },
}
GRAPH_SCHEMA = {
    "type": "object",
    "required": ["@context", "@graph"],
    "properties": {"@context": {"type": "object"}, "@graph": {"type": "array"}},
}


def rdf_content(json_ld_schema: dict[str, Any]) -> dict[str, Any]:
    """The ``content`` of a 200 in JSON-LD (with ``json_ld_schema``), Turtle or RDF/XML."""
    return {
        "application/ld+json": {"schema": json_ld_schema},
        "text/turtle": {"schema": {"type": "string"}},
        "application/rdf+xml": {"schema": {"type": "string"}},
    }


RDF_CONTENT = rdf_content(CATALOG_SCHEMA)
PAGE = Query(1, ge=1, description="Page number, 100 datasets a page.")


def _rdf(document: dict[str, Any], extension: str) -> Response:
    return _rdf_response(serialize(document, extension), extension)


def _rdf_response(body: bytes, extension: str) -> Response:
    media_type = RDF_FORMATS[extension].media_type
    return Response(
        body,
        media_type=f"{media_type}; charset=utf-8" if extension == "ttl" else media_type,
        headers={"Vary": "Accept"},
    )


def _catalog(request: Request, page: int, extension: str) -> Response:
    """A page of the catalog in ``extension``, kept serialized until the catalog changes
    (harvesters ask for every page again and again; a page reads 100 datasets)."""
    service = service_of(request)

    def build() -> bytes:
        document = service.dcat_catalog(page=page, base_url=link_base(request))
        return serialize(document, extension)

    body = service.catalog_json(request_key(request, "dcat", extension), build)
    return _rdf_response(body, extension)


# response_class=Response: errors stay application/json; the success body is RDF
@router.get(
    "/catalog.jsonld",
    summary="DCAT-AP 3 catalog as JSON-LD",
    response_class=Response,
    responses={200: {"description": "A page of the catalog", "content": RDF_CONTENT}},
)
def catalog_jsonld(request: Request, page: int = PAGE) -> Response:
    return _catalog(request, page, "jsonld")


@router.get(
    "/catalog.ttl",
    summary="DCAT-AP 3 catalog as Turtle",
    response_class=Response,
    responses={200: {"description": "A page of the catalog", "content": RDF_CONTENT}},
)
def catalog_turtle(request: Request, page: int = PAGE) -> Response:
    return _catalog(request, page, "ttl")


@router.get(
    "/catalog.rdf",
    summary="DCAT-AP 3 catalog as RDF/XML",
    response_class=Response,
    responses={200: {"description": "A page of the catalog", "content": RDF_CONTENT}},
)
def catalog_rdfxml(request: Request, page: int = PAGE) -> Response:
    return _catalog(request, page, "rdf")


@router.get(
    "/catalog",
    summary="DCAT-AP 3 catalog, serialization by content negotiation",
    description="`Accept: text/turtle`, `application/rdf+xml` or `application/ld+json` "
    "(the default).",
    response_class=Response,
    responses={200: {"description": "A page of the catalog", "content": RDF_CONTENT}},
)
def catalog(request: Request, page: int = PAGE) -> Response:
    return _catalog(request, page, negotiate(request.headers.get("accept", "")))


@router.get(
    "/themes",
    summary="The national service categories as a SKOS concept scheme (DCAT themes)",
    response_class=Response,
    responses={200: {"description": "The concept scheme", "content": rdf_content(GRAPH_SCHEMA)}},
)
def themes(request: Request) -> Response:
    document = service_of(request).themes(base_url=link_base(request))
    return _rdf(document, negotiate(request.headers.get("accept", "")))


@router.get(
    "/themes/{code}",
    summary="One national service category (a skos:Concept)",
    response_class=Response,
    responses={
        200: {"description": "The concept", "content": rdf_content(GRAPH_SCHEMA)},
        **errors(404),
    },
)
def theme(request: Request, code: str = Path(..., description="e.g. E00")) -> Response:
    document = service_of(request).themes(base_url=link_base(request), code=code)
    return _rdf(document, negotiate(request.headers.get("accept", "")))


def _answer_head(path: str, get: Callable[..., Response]) -> None:
    """``HEAD path``: the GET's status and headers (``Content-Length`` included), no body,
    for link checkers and harvesters that look before they fetch."""

    @functools.wraps(get)
    def head(*args: Any, **kwargs: Any) -> Response:
        answer = get(*args, **kwargs)
        return Response(status_code=answer.status_code, headers=dict(answer.headers))

    router.head(path, include_in_schema=False)(head)


for _path, _get in [
    ("/catalog.jsonld", catalog_jsonld),
    ("/catalog.ttl", catalog_turtle),
    ("/catalog.rdf", catalog_rdfxml),
    ("/catalog", catalog),
    ("/themes", themes),
    ("/themes/{code}", theme),
]:
    _answer_head(_path, _get)
