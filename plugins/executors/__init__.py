"""Executor plugins: how ``train-all`` runs its jobs (``local`` processes, a ``dask`` cluster)."""
