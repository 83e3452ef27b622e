"""Moving a local data directory to PostgreSQL and object storage (see docs/deploy.md). The
Spark engine lives in its stages: kaifang.query.spark_engine, kaifang.privacy.spark and
kaifang.sources.freeway.spark."""
