"""PaDi UMKM: the national marketplace where BUMN buy from UMKM, served over GraphQL."""
