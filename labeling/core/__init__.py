"""The product's pure core: label formats, segmentation bitmaps, point clouds, interpolation.

Nothing in this package imports Django: it is plain Python + NumPy, used by the API, the editors'
save paths, the Celery tasks and the release builder.
"""
