"""Ingestion: readers, normalisation, segmentation, extraction and the pipeline that runs them."""
