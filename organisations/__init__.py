"""Organisations behind listings: linking listings to them, registry imports and licence checks, staff
merges and splits, the market officer's queries and the exchange export."""
