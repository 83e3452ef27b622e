"""Webhooks: users subscribe a URL to a dataset, an organization or a search, and each
matching activity (:mod:`kaifang.catalog.activity`) is POSTed to it as JSON signed with
HMAC-SHA256. Publishing only records the activity; ``kaifang worker`` matches and delivers,
retrying with backoff for 24 hours, so a slow or dead receiver never holds up a publish."""
