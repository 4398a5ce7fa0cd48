"""Orders a shop manager takes for a customer (by phone or email) in the admin."""
