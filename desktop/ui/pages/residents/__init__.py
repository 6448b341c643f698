"""居民: the resident register page."""
