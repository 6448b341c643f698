"""党建 area: the organisation tree on the left; members, recruitment, dues, meetings and the organisation on the right."""
