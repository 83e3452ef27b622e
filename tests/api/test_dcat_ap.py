"""The DCAT-AP 3 catalog read as RDF by rdflib: the mandatory classes, properties and ranges of
DCAT-AP 3.0 (checked here with rules of our own, written from the spec's SHACL shapes), the
three serializations, every access and download URL resolving, and a harvester's reading of
the catalog giving back the same datasets."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, FOAF, SKOS
from rdflib.namespace import DCTERMS as DCT
from rdflib.term import BNode, Node

from kaifang.catalog.categories import CATEGORIES
from tests.api.conftest import Published

FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
IANA = "http://www.iana.org/assignments/media-types/"
TEMPORAL = {XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth}

# DCAT-AP 3.0: (class, property, min, max) — max None for unbounded
CARDINALITIES = [
    (DCAT.Catalog, DCT.title, 1, None),
    (DCAT.Catalog, DCT.description, 1, None),
    (DCAT.Catalog, DCT.publisher, 1, 1),
    (DCAT.Catalog, DCAT.dataset, 1, None),
    (DCAT.Dataset, DCT.title, 1, None),
    (DCAT.Dataset, DCT.description, 1, None),
    (DCAT.Dataset, DCT.publisher, 0, 1),
    (DCAT.Dataset, DCT.issued, 0, 1),
    (DCAT.Dataset, DCT.modified, 0, 1),
    (DCAT.Dataset, DCT.accrualPeriodicity, 0, 1),
    (DCAT.Distribution, DCAT.accessURL, 1, None),
    (DCAT.Distribution, DCT.format, 0, 1),
    (DCAT.Distribution, DCAT.mediaType, 0, 1),
    (DCAT.Distribution, DCT.license, 0, 1),
    (DCAT.Distribution, DCT.modified, 0, 1),
    (FOAF.Agent, FOAF.name, 1, None),
    (SKOS.Concept, SKOS.prefLabel, 1, None),
    (SKOS.ConceptScheme, DCT.title, 1, None),
]
LITERALS = [DCT.title, DCT.description, DCAT.keyword, FOAF.name, SKOS.prefLabel]
NOT_LITERALS = [
    DCT.publisher, DCAT.theme, DCT.license, DCT.spatial, DCT.language, DCT.accrualPeriodicity,
    DCAT.accessURL, DCAT.downloadURL, DCT.format, DCAT.mediaType, DCAT.contactPoint,
    DCAT.landingPage, DCAT.themeTaxonomy, DCAT.distribution, DCAT.dataset, DCT.temporal,
]  # fmt: skip
IRIS = [DCAT.theme, DCAT.accessURL, DCAT.downloadURL, DCT.format, DCAT.mediaType, DCT.license]
DATES = [DCT.issued, DCT.modified, DCAT.startDate, DCAT.endDate]


def graph_of(client: TestClient, url: str, fmt: str, **headers: str) -> Graph:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.content, format=fmt)


@pytest.fixture(scope="module")
def catalog(client: TestClient, published: Published) -> Graph:
    return graph_of(client, "/catalog.jsonld", "json-ld")


@pytest.mark.parametrize(("klass", "prop", "least", "most"), CARDINALITIES)
def test_mandatory_properties_and_cardinalities(
    catalog: Graph, klass: URIRef, prop: URIRef, least: int, most: int | None
) -> None:
    subjects = set(catalog.subjects(RDF.type, klass))
    assert subjects, f"no {klass} in the catalog"
    for subject in subjects:
        count = len(set(catalog.objects(subject, prop)))
        assert count >= least, f"{subject} has {count} {prop}, needs {least}"
        assert most is None or count <= most, f"{subject} has {count} {prop}, at most {most}"


def test_ranges_literals_iris_and_typed_dates(catalog: Graph) -> None:
    for prop in LITERALS:
        assert all(isinstance(o, Literal) for o in catalog.objects(None, prop)), prop
    for prop in NOT_LITERALS:
        assert all(isinstance(o, URIRef | BNode) for o in catalog.objects(None, prop)), prop
    for prop in IRIS:
        assert all(isinstance(o, URIRef) for o in catalog.objects(None, prop)), prop
    for prop in DATES:
        for value in catalog.objects(None, prop):
            assert isinstance(value, Literal) and value.datatype in TEMPORAL, (prop, value)
            assert value.value is not None and not isinstance(value.value, str), value  # parses


def test_formats_media_types_and_licences_are_vocabulary_iris(catalog: Graph) -> None:
    formats = set(catalog.objects(None, DCT.format))
    assert formats == {URIRef(FILE_TYPES + "CSV")}
    assert set(catalog.objects(None, DCAT.mediaType)) == {URIRef(IANA + "text/csv")}
    for licence in catalog.objects(None, DCT.license):
        assert (licence, RDF.type, DCT.LicenseDocument) in catalog


def test_themes_are_concepts_of_the_published_scheme(client: TestClient, catalog: Graph) -> None:
    (taxonomy,) = catalog.objects(None, DCAT.themeTaxonomy)
    concepts = set(catalog.objects(taxonomy, SKOS.hasTopConcept))
    assert len(concepts) == len(CATEGORIES) == 18
    themes = set(catalog.objects(None, DCAT.theme))
    assert themes and themes <= concepts
    for theme in themes:
        assert (theme, SKOS.inScheme, taxonomy) in catalog
        # the IRI resolves to the same concept, in Turtle too
        served = graph_of(client, urlsplit(str(theme)).path, "turtle", accept="text/turtle")
        assert (theme, RDF.type, SKOS.Concept) in served
        assert set(served.objects(theme, SKOS.prefLabel)) == set(
            catalog.objects(theme, SKOS.prefLabel)
        )
    scheme = graph_of(client, urlsplit(str(taxonomy)).path, "json-ld")
    assert len(set(scheme.subjects(RDF.type, SKOS.Concept))) == 18
    assert client.get("/themes/Z99").status_code == 404


def test_spatial_is_a_location_iri_or_geometry(catalog: Graph) -> None:
    for dataset in catalog.subjects(RDF.type, DCAT.Dataset):
        places = set(catalog.objects(dataset, DCT.spatial))
        assert URIRef("http://publications.europa.eu/resource/authority/country/TWN") in places
        for place in places:
            assert (place, RDF.type, DCT.Location) in catalog


def test_every_access_and_download_url_resolves(client: TestClient, catalog: Graph) -> None:
    urls = {
        str(url)
        for prop in (DCAT.accessURL, DCAT.downloadURL)
        for url in catalog.objects(None, prop)
    }
    urls |= {str(url) for url in catalog.objects(None, DCAT.landingPage)}
    assert len(urls) >= 7
    for url in sorted(urls):
        response = client.get(urlsplit(url).path)
        assert response.status_code == 200, (url, response.status_code)


@pytest.mark.parametrize(
    ("url", "accept", "fmt", "media_type"),
    [
        ("/catalog.ttl", "", "turtle", "text/turtle"),
        ("/catalog.rdf", "", "xml", "application/rdf+xml"),
        ("/catalog", "text/turtle", "turtle", "text/turtle"),
        ("/catalog", "application/rdf+xml;q=0.9, text/turtle;q=0.5", "xml", "application/rdf+xml"),
        ("/catalog", "application/ld+json", "json-ld", "application/ld+json"),
        ("/catalog", "*/*", "json-ld", "application/ld+json"),
    ],
)
def test_serializations_by_extension_and_content_negotiation(
    client: TestClient, catalog: Graph, url: str, accept: str, fmt: str, media_type: str
) -> None:
    response = client.get(url, headers={"accept": accept} if accept else {})
    assert response.headers["content-type"].startswith(media_type)
    assert isomorphic(Graph().parse(data=response.content, format=fmt), catalog)


def harvest(graph: Graph) -> dict[str, dict[str, Any]]:
    """What a DCAT harvester (ckanext-dcat's profile, in essence) makes of each dataset."""
    found = {}
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):

        def one(subject: Node, prop: URIRef) -> str:
            return str(next(iter(graph.objects(subject, prop))))

        titles = {o.language: str(o) for o in graph.objects(dataset, DCT.title)}  # type: ignore[attr-defined]
        publisher = next(iter(graph.objects(dataset, DCT.publisher)))
        themes = [str(graph.value(t, SKOS.notation)) for t in graph.objects(dataset, DCAT.theme)]
        found[one(dataset, DCT.identifier)] = {
            "title": titles["zh-TW"],
            "description": one(dataset, DCT.description),
            "keywords": sorted(str(k) for k in graph.objects(dataset, DCAT.keyword)),
            "category": themes[0] if themes else None,
            "organization": one(publisher, DCT.identifier),
            "resources": sorted(
                (one(d, DCT.identifier), urlsplit(one(d, DCAT.downloadURL)).path)
                for d in graph.objects(dataset, DCAT.distribution)
            ),
            "landing": urlsplit(str(dataset)).path,
        }
    return found


def test_a_harvester_reads_back_the_same_datasets(client: TestClient, catalog: Graph) -> None:
    harvested = harvest(catalog)
    listed = client.get("/api/datasets?limit=100").json()["data"]
    assert len(harvested) == len(listed) == 3
    for item in listed:
        dataset = client.get(f"/api/datasets/{item['id']}").json()
        assert harvested[dataset["identifier"]] == {
            "title": dataset["title"],
            "description": dataset["description"] or dataset["title"],
            "keywords": sorted(dataset["keywords"]),
            "category": dataset["category"],
            "organization": dataset["organization"]["code"],
            "resources": sorted(
                (r["identifier"], f"/api/resources/{r['id']}/download.csv")
                for r in dataset["resources"]
            ),
            "landing": f"/datasets/{dataset['id']}",
        }


@pytest.mark.parametrize(
    ("url", "accept"),
    [
        ("/catalog.jsonld", ""),
        ("/catalog.ttl", ""),
        ("/catalog.rdf", ""),
        ("/catalog", "text/turtle"),
        ("/themes", ""),
        ("/themes/E00", "text/turtle"),
    ],
)
def test_head_answers_like_get_without_the_body(client: TestClient, url: str, accept: str) -> None:
    headers = {"accept": accept} if accept else {}
    got, head = client.get(url, headers=headers), client.head(url, headers=headers)
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-type"] == got.headers["content-type"]
    assert int(head.headers["content-length"]) == len(got.content)
    assert client.head("/themes/Z99").status_code == 404
