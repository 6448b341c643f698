"""PDF documents (ReportLab), Qt-free: fonts, the 公文-style layout, and each area's documents."""
