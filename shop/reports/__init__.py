"""The managers' dashboard on the admin index and the sales reports (/admin/reports/)."""
