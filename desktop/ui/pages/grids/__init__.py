"""网格: the street's grids and their 1+1+N staff."""
