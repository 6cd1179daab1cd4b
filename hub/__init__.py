"""Koperasi Hub: the GraphQL gateway over the regional cooperative networks."""
