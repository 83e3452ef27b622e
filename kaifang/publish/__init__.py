"""The publish pipeline: read -> screen -> cluster -> store -> register (all or nothing)."""

from kaifang.publish.pipeline import publish_file
from kaifang.publish.result import Progress, PublishResult
from kaifang.publish.rollback import rollback
from kaifang.publish.screening import load_policy

__all__ = ["Progress", "PublishResult", "load_policy", "publish_file", "rollback"]
