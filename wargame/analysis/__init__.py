"""Analysis on top of the engines: metrics, and the files a run writes."""
