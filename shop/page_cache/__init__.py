"""Whole storefront pages kept per pricing context, with the per-person parts filled per request
(see `pages`), and the version of the shop's content they are keyed by (see `models`)."""
