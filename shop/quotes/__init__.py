"""Requests for quotes: a trade buyer asks for prices on a cart or a list of SKUs, a manager
offers negotiated unit prices until a date, the buyer accepts (the lines go to his cart at those
prices), declines or asks for a revision. Models, services and selectors; the admin offers."""
