"""verify_audit: the audit trail against its keyed chain and signed checkpoints."""
