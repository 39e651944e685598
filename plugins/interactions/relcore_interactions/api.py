"""The interactions plugin's public API: what other plugins and outside authors may import.

A plain re-export (documented in ``docs/api-reference.md``); other plugins import this module
only, never the plugin's internals. To log interactions, build
:class:`relcore.interactions.InteractionRecord` values and call
:func:`relcore.interactions.log_interactions` (the core entry point); to log an automatic
interaction for a registered event with the template the setup maps it to, call
:func:`log_event`. The ``*_table`` objects are for joins in set-based SQL and are read only.
"""

from __future__ import annotations

from relcore_interactions.activities import assign_activity
from relcore_interactions.attachments import attachment_content
from relcore_interactions.attachments import store as store_attachment
from relcore_interactions.correspondence import resolve_correspondence_type
from relcore_interactions.defaults import DefaultTemplate
from relcore_interactions.delivery import deliver
from relcore_interactions.documents import document_types
from relcore_interactions.events import log_document, log_event
from relcore_interactions.events import template_for as template_for_event
from relcore_interactions.log_service import current_user
from relcore_interactions.maintenance import cancel, delete_canceled
from relcore_interactions.model import group as group_table
from relcore_interactions.model import log_comment as log_comment_table
from relcore_interactions.model import log_entry as log_entry_table
from relcore_interactions.model import template as template_table
from relcore_interactions.model import template_language as template_language_table
from relcore_interactions.references import check_campaigns
from relcore_interactions.set_log import LINE_COLUMNS, CheckedLines, check_lines, log_lines
from relcore_interactions.statistics import statistics
from relcore_interactions.task_repoint import repoint_open_tasks
from relcore_interactions.task_status import cancel_open_tasks
from relcore_interactions.templates import get_template
from relcore_interactions.templates import list_languages as template_languages

__all__ = [
    "LINE_COLUMNS",
    "CheckedLines",
    "DefaultTemplate",
    "assign_activity",
    "attachment_content",
    "cancel",
    "cancel_open_tasks",
    "check_campaigns",
    "check_lines",
    "current_user",
    "delete_canceled",
    "deliver",
    "document_types",
    "get_template",
    "group_table",
    "log_comment_table",
    "log_entry_table",
    "log_document",
    "log_event",
    "log_lines",
    "repoint_open_tasks",
    "resolve_correspondence_type",
    "statistics",
    "store_attachment",
    "template_for_event",
    "template_language_table",
    "template_languages",
    "template_table",
]
