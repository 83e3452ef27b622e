"""The catalog's RDF documents in the three serializations DCAT harvesters read: JSON-LD as
kaifang writes it, and Turtle and RDF/XML from the same graph (rdflib), chosen by a file
extension or by the request's ``Accept`` header."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from typing import Any

from kaifang import jsonable


@dataclass(frozen=True)
class RdfFormat:
    extension: str
    media_type: str
    rdflib_name: str


RDF_FORMATS: dict[str, RdfFormat] = {
    "jsonld": RdfFormat("jsonld", "application/ld+json", "json-ld"),
    "ttl": RdfFormat("ttl", "text/turtle", "turtle"),
    "rdf": RdfFormat("rdf", "application/rdf+xml", "xml"),
}
_BY_MEDIA_TYPE = {f.media_type: f.extension for f in RDF_FORMATS.values()}


def negotiate(accept: str) -> str:
    """The extension of the serialization ``accept`` prefers (q-values honoured); JSON-LD
    when it names none of them (``*/*``, ``application/json``, a browser's HTML)."""
    best, best_q = "jsonld", 0.0
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        extension = _BY_MEDIA_TYPE.get(media.lower())
        if extension and q > best_q:
            best, best_q = extension, q
    return best


def serialize(document: dict[str, Any], extension: str) -> bytes:
    """``document`` (JSON-LD with an inline context) in the serialization ``extension``."""
    if extension == "jsonld":  # compact, through orjson: a DCAT page holds 100 datasets
        return jsonable.dumps(document)
    from rdflib import Graph

    graph = Graph()
    with warnings.catch_warnings():  # rdflib's own JSON-LD parser uses a class it deprecates
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        graph.parse(data=json.dumps(document), format="json-ld")
    for prefix, iri in document.get("@context", {}).items():
        if isinstance(iri, str):
            graph.bind(prefix, iri)
    text = graph.serialize(format=RDF_FORMATS[extension].rdflib_name, encoding="utf-8")
    return bytes(text)
