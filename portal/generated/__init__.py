"""Randomised department sites for generality tests: unlike the five fixed platform styles of `portal/`, every
site here draws its markup, column tree, list and pager shapes, label spellings and encoding from a seed, so a
crawler cannot be tuned to them. `GeneratedPortal(seed, sites)` serves them; its manifest is the ground truth."""
