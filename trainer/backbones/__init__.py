"""Pretrained feature-extractor backbones for the trainer, built in Keras 3 (backend-agnostic)."""
