"""What makes many networks act as one: fan-out with a deadline, merging, ranking,
entity resolution and per-request DataLoaders. Knows connectors, not GraphQL."""
