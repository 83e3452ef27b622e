"""Reading a DCAT catalog (JSON-LD, Turtle or RDF/XML, told apart by the answer's media type
or the URL's extension), following ``hydra:nextPage`` / ``hydra:next`` across pages. A DCAT
catalog has no cheap id list nor a change filter, so the whole catalog is read once per run
and the fingerprints decide what changed."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF
from rdflib.term import Node

from kaifang.errors import HarvestError
from kaifang.harvest.fetch import Fetcher
from kaifang.harvest.readers import Failure
from kaifang.harvest.remote import RemoteDataset, RemoteDistribution

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
MAX_PAGES = 10_000
FORMATS = {".jsonld": "json-ld", ".json": "json-ld", ".ttl": "turtle", ".rdf": "xml",
           ".xml": "xml", ".nt": "nt"}  # fmt: skip
MEDIA = {"application/ld+json": "json-ld", "application/json": "json-ld",
         "text/turtle": "turtle", "application/rdf+xml": "xml",
         "application/n-triples": "nt"}  # fmt: skip


def rdf_format(url: str, content_type: str = "") -> str:
    media = content_type.split(";")[0].strip().lower()
    if media in MEDIA:
        return MEDIA[media]
    path = url.split("?")[0].lower()
    for ext, fmt in FORMATS.items():
        if path.endswith(ext):
            return fmt
    return "json-ld"


def parse_graph(body: bytes, url: str) -> Graph:
    graph = Graph()
    try:
        with warnings.catch_warnings():
            # rdflib's own JSON-LD parser builds a ConjunctiveGraph, which rdflib deprecates.
            warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
            graph.parse(data=body, format=rdf_format(url), publicID=url)
    except Exception as exc:  # rdflib raises parser-specific errors
        raise HarvestError(f"{url}: not a readable DCAT catalog ({exc})") from exc
    return graph


class DcatReader:
    def __init__(self, url: str, fetcher: Fetcher) -> None:
        self.url, self.fetcher = url, fetcher
        self._read: list[RemoteDataset | Failure] | None = None

    def _pages(self) -> Iterator[Graph]:
        url: str | None = self.url
        seen: set[str] = set()
        while url and url not in seen and len(seen) < MAX_PAGES:
            seen.add(url)
            body = (
                Path(url2pathname(urlparse(url).path)).read_bytes()
                if url.startswith("file://")
                else self.fetcher.get_bytes(url)
            )
            graph = parse_graph(body, url)
            yield graph
            nxt = next(
                (o for p in (HYDRA.nextPage, HYDRA.next) for o in graph.objects(None, p)), None
            )
            url = str(nxt) if nxt is not None else None

    def _all(self) -> list[RemoteDataset | Failure]:
        if self._read is None:
            self._read = []
            for graph in self._pages():
                for node in graph.subjects(RDF.type, DCAT.Dataset):
                    try:
                        self._read.append(to_remote(graph, node))
                    except (KeyError, ValueError) as exc:
                        self._read.append(Failure(str(node), str(exc)))
        return self._read

    def ids(self) -> set[str]:
        return {d.remote_id for d in self._all()}

    def changed(self, since: datetime | None) -> Iterator[RemoteDataset | Failure]:
        yield from self._all()


def _text(graph: Graph, node: Node, prop: URIRef) -> str:
    """The value of ``prop``, preferring Traditional Chinese, then no language, then any."""
    values = list(graph.objects(node, prop))
    if not values:
        return ""

    def rank(value: Node) -> int:
        lang = (value.language or "").lower() if isinstance(value, Literal) else ""
        return 0 if lang.startswith("zh") else 1 if not lang else 2

    return str(sorted(values, key=rank)[0])


def _name(graph: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    return _text(graph, node, FOAF.name) or (str(node) if isinstance(node, Literal) else "")


def to_remote(graph: Graph, node: Node) -> RemoteDataset:
    remote_id = _text(graph, node, DCTERMS.identifier) or str(node)
    title = _text(graph, node, DCTERMS.title)
    if not title:
        raise ValueError(f"{remote_id}: no dct:title")
    contact = graph.value(node, DCAT.contactPoint)
    email = _text(graph, contact, VCARD.hasEmail) if contact is not None else ""
    distributions = []
    licence = graph.value(node, DCTERMS.license)
    for dist in graph.objects(node, DCAT.distribution):
        url = graph.value(dist, DCAT.downloadURL) or graph.value(dist, DCAT.accessURL)
        if url is None:
            continue
        licence = licence or graph.value(dist, DCTERMS.license)
        fmt = graph.value(dist, DCTERMS.format)
        distributions.append(
            RemoteDistribution(
                url=str(url),
                format=str(fmt).rstrip("/").rsplit("/", 1)[-1] if fmt is not None else "",
                title=_text(graph, dist, DCTERMS.title),
                media_type=_text(graph, dist, DCAT.mediaType),
            )
        )
    return RemoteDataset(
        remote_id=remote_id,
        title=title,
        description=_text(graph, node, DCTERMS.description),
        modified=_text(graph, node, DCTERMS.modified),
        publisher=_name(graph, graph.value(node, DCTERMS.publisher)),
        license=str(licence or ""),
        license_url=str(licence) if isinstance(licence, URIRef) else "",
        keywords=tuple(sorted(str(k) for k in graph.objects(node, DCAT.keyword))),
        landing_page=_text(graph, node, DCAT.landingPage),
        contact_name=_text(graph, contact, VCARD.fn) if contact is not None else "",
        contact_email=email.removeprefix("mailto:"),
        distributions=tuple(sorted(distributions, key=lambda d: d.url)),
    )
