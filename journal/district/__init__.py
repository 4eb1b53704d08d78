"""The district office: schools push their datasets to one PostgreSQL, reports read across them."""
