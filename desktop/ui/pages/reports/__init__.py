"""统计报表 area: the monthly report and the 人民调解统计表."""
