"""Read side: queue filters, the masked task read model, queues, case files, dashboards and CSV export."""
