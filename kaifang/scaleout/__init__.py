"""Scale-out helpers: a Spark session from settings and bulk work on a Spark cluster (see
docs/deploy.md; moving a data directory to PostgreSQL is ``kaifang catalog migrate``)."""
