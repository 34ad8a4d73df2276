"""HTML pages for people: the queue, tasks, saved filters, overview, market, operations, documents."""
