"""Orders across networks: persisted intent, a saga per order, an outbox, live events."""
