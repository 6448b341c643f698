"""Reports computed from the records: the monthly report (月报) PDF."""
