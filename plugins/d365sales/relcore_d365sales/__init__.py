"""relcore-d365sales: synchronise the relationship-management database with Dynamics 365 Sales."""
