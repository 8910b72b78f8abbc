"""SNP platform: application shell and shared kernel (settings, db, auth, audit, territory)."""
