"""BUMN procurement: RFQs on the hub's board and on PaDi, quotes, awards, spend, OCDS."""
