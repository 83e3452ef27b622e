"""Harvesting: gathering the catalogs of other portals into this one.

A harvest source (``kaifang harvest add``) is another portal's national-spec API, CKAN Action
API or DCAT catalog. A run (:func:`kaifang.harvest.run.run_source`) reads the remote catalog
(:mod:`kaifang.harvest.readers`), then registers each remote dataset here
(:mod:`kaifang.harvest.apply`) — its metadata and links in ``metadata`` mode; in ``mirror``
mode also its files, published through the normal publish path, privacy gate included — and
records what it did (:class:`kaifang.catalog.models.HarvestRun`). Runs are incremental and
idempotent: an unchanged remote dataset makes no change here, one the source no longer lists
is marked withdrawn (its versions stay), and one failing dataset never stops the others.
"""
