"""Scale-out helpers: a Spark session from settings, bulk work on a Spark cluster, and moving a
local data directory to PostgreSQL and object storage (see docs/deploy.md)."""
