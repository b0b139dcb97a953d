"""The datasets app's API routers, joined into one for labeling.api.

Order matters where paths overlap: `issues` comes before `datasets` so that the SDK's
`/datasets/{sample_uuid}/issues/` is not read as the dataset `{sample_uuid}/issues`; `fallback` comes last.
"""

from ninja import Router

from datasets.api import (
    assets,
    calibration,
    collaborators,
    datasets,
    exports,
    fallback,
    issues,
    label_history,
    labels,
    labelsets,
    releases,
    samples,
    text_imports,
    users,
    workunits,
)

router = Router()
for module in (
    users,
    issues,
    datasets,
    collaborators,
    samples,
    labels,
    label_history,
    labelsets,
    releases,
    exports,
    text_imports,
    workunits,
    assets,
    calibration,
):
    router.add_router("", module.router)
router.add_router("", fallback.router)
