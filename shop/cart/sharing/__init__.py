"""Shared cart links: a shopper shares their cart for someone else to review and pay."""
