"""The storage interface every backend implements."""

from __future__ import annotations

from abc import ABC, abstractmethod


class StorageError(Exception):
    """Storage could not be reached or refused the request."""


class Storage(ABC):
    name: str

    @abstractmethod
    def check(self) -> None:
        """Raise StorageError unless the storage answers."""
