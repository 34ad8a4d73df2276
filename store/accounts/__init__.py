"""Staff accounts: `users` (create, look up, authenticate, change and reset passwords) and `passwords` (argon2)."""
