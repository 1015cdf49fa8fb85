"""The target lists as the window shows them: every list (one light read), how many projects each has, the list a
project is in, the lead units; and the mail figures beside a list (months sent, 发件箱 size)."""

from __future__ import annotations

from ..storage import list_index
from ..storage import repo
from ..storage.db import Database

# Every list with its sections, newest year first: the same as repo.list_target_lists, read as plain tuples.
target_lists = list_index.target_lists
project_counts = list_index.project_counts  # list id -> number of projects
list_of_project = list_index.list_of_project  # a project's list id, None when there is no such project
outbox_count = list_index.outbox_count  # messages waiting in the 发件箱
sent_months = list_index.sent_months  # month -> when its report mail last went out


def lead_units(db: Database) -> list[str]:
    return repo.list_units(db)
