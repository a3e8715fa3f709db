"""Management commands of the partnerships app: verify_audit (the audit chain is intact),
rebuild_tallies (recount after bulk loads), export_iati (the IATI file of every partnership)."""
