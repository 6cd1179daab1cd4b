"""``/dashboard``: a BUMN's spend on UMKM and its open RFQs, drawn from the public graph."""
