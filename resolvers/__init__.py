"""Resolver functions per domain: read arguments and context, ask federation/, map to types."""
