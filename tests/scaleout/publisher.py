"""A publishing process for the shared-catalog test: ``python -m tests.scaleout.publisher
DATA_DIR DATABASE_URL NAME COUNT SHARED_DATASET SHARED_RESOURCE`` publishes COUNT new
datasets and COUNT new versions of the shared resource, then prints what it published."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kaifang.publish import publish_file
from kaifang.settings import load_settings

ORG = "379130000E"


def main(argv: list[str]) -> None:
    data_dir, url, name, count, shared_dataset, shared_resource = argv
    settings = load_settings({}, data_dir=Path(data_dir), database_url=url)
    folder = Path(data_dir) / "incoming" / name
    folder.mkdir(parents=True, exist_ok=True)
    published = []
    for index in range(int(count)):
        rows = [f"{n},{name}-{index}" for n in range(index + 2)]
        path = folder / f"{name}-{index}.csv"
        path.write_text("\n".join(["id,label", *rows]) + "\n", encoding="utf-8")
        own = publish_file(settings, path, org=ORG, title=f"{name} {index}")
        shared = publish_file(
            settings, path, org=ORG, dataset=shared_dataset, resource=shared_resource
        )
        published.append({"resource": own.resource, "rows": own.rows, "shared": shared.version})
    sys.stdout.write(json.dumps(published) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
