"""Flagship sources: freeway (TDCS), elections (CEC), theft points, school directories.

Each source is one subpackage holding everything about it: column definitions (``columns``),
parsing helpers written as DuckDB SQL expression builders (``parse``), the importer
(``importer``; freeway's Spark path in ``spark``, ``spark_trips``, ``spark_files``), a
generator of realistic files in the exact upstream layout (``generate``), the analyses the API
serves and the dashboard's choices (``analyses``), and its declaration (``source.SOURCE``, a
:class:`kaifang.sources.source.Source`), registered in :mod:`kaifang.sources.registry`.
"""
