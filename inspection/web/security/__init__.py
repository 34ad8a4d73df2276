"""Login, throttling, security headers and CSRF, hostile-input and upload limits."""
