"""Reports: pure functions from results to plotly figures, and one self-contained HTML page."""
