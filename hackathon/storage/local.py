"""Files under the instance folder, for one machine."""

from __future__ import annotations

import os
from pathlib import Path

from hackathon.storage.base import Storage, StorageError


class LocalStorage(Storage):
    name = "local"

    def __init__(self, root: str, secret: str) -> None:
        self.root = Path(root)
        self.secret = secret

    def check(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(str(error)) from error
        if not os.access(self.root, os.W_OK):
            raise StorageError(f"{self.root} is not writable")
