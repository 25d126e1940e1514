"""Index building: published speech in, canonical text, document tree, passages, facts and stores out."""
