"""Feed sources: JSON answers of social posts paged by cursor (`pages`), and a post as a listing (`posts`)."""
