"""The audit log: every mutation, who asked, with what, and how it ended."""
