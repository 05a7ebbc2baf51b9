"""Sensitivity sweeps: a spec of parameters and metrics, designs, runs, a resumable store."""
