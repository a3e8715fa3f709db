"""Workspace pages of each phase, one module per phase. Thin: permissions from ``permissions``,
writes in ``phases.services``. Small POST endpoints answer htmx with a partial and plain browsers
with a redirect, so every page also works without JavaScript. The names below are what
``partnerships/urls.py`` routes to."""

from .assessment import (
    assessment,
    assessment_edit,
    closure,
    health_respond,
    health_send,
    lessons,
)
from .attachments import (
    attachment_delete,
    attachment_download,
    attachment_upload,
)
from .common import transition_url
from .design import (
    agreement_changes,
    design,
    design_checklist,
    design_section,
)
from .interest import (
    interest,
    matrix_delete,
    matrix_save,
    node_add,
    node_delete,
    node_edit,
)
from .operation import (
    conflict_edit,
    meeting,
    meeting_confirm,
    meeting_minutes,
    operation,
    timeline,
)

__all__ = [
    "agreement_changes",
    "assessment",
    "assessment_edit",
    "attachment_delete",
    "attachment_download",
    "attachment_upload",
    "closure",
    "conflict_edit",
    "design",
    "design_checklist",
    "design_section",
    "health_respond",
    "health_send",
    "interest",
    "lessons",
    "matrix_delete",
    "matrix_save",
    "meeting",
    "meeting_confirm",
    "meeting_minutes",
    "node_add",
    "node_delete",
    "node_edit",
    "operation",
    "timeline",
    "transition_url",
]
