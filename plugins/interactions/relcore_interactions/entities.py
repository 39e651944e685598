"""The entities the interactions plugin registers with the core."""

from __future__ import annotations

from relcore.entities import EntityType
from relcore_interactions import model, tasks_model

ENTITIES = [
    EntityType("interactions.group", model.group, "Interaction Group", key=("code",)),
    EntityType("interactions.template", model.template, "Interaction Template", key=("code",)),
    EntityType(
        "interactions.template_language",
        model.template_language,
        "Interaction Tmpl. Language",
        key=("interaction_template_code", "language_code"),
    ),
    EntityType("interactions.attachment", model.attachment, "Attachment", key=("no",)),
    EntityType(
        "interactions.log_entry",
        model.log_entry,
        "Interaction Log Entry",
        key=("entry_no",),
        personal_data_fields=("subject", "contact_via"),
    ),
    EntityType(
        "interactions.log_comment",
        model.log_comment,
        "Inter. Log Entry Comment Line",
        key=("entry_no", "line_no"),
        personal_data_fields=("comment",),
    ),
    EntityType(
        "interactions.template_setup",
        model.template_setup,
        "Interaction Template Setup",
        key=("event_code",),
    ),
    EntityType(
        "interactions.task",
        tasks_model.task,
        "Task",
        key=("no",),
        number_series_setup_key="interactions.to_do_nos",
    ),
    EntityType(
        "interactions.task_attendee",
        tasks_model.attendee,
        "Attendee",
        key=("to_do_no", "line_no"),
        personal_data_fields=("attendee_name",),
    ),
    EntityType(
        "interactions.task_comment",
        tasks_model.comment,
        "Task Comment Line",
        key=("to_do_no", "line_no"),
        personal_data_fields=("comment",),
    ),
    EntityType("interactions.activity", tasks_model.activity, "Activity", key=("code",)),
    EntityType(
        "interactions.activity_step",
        tasks_model.activity_step,
        "Activity Step",
        key=("activity_code", "step_no"),
    ),
]
