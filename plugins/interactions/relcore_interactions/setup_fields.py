"""The interactions plugin's setup fields: attachment storage and delivery (§4.9)."""

from __future__ import annotations

from relcore.setup import SetupField
from relcore_interactions.model import STORAGE_TYPES

SMTP_PASSWORD_ENV = "RELCORE_SMTP_PASSWORD"
"""The SMTP password is read from this environment variable only (never stored)."""

SETUP_FIELDS = [
    SetupField(
        "interactions.attachment_storage_type",
        "choice",
        "embedded",
        "Where new attachments are stored: in the database or as files (§4.9).",
        choices=STORAGE_TYPES,
    ),
    SetupField(
        "interactions.attachment_storage_location",
        "str",
        None,
        "Folder of attachments when the storage type is disk_file.",
        max_length=250,
    ),
    SetupField(
        "interactions.merge_output_limit",
        "int",
        1_000_000,
        "Most characters a rendered merge document may have; a larger one fails its entry.",
        min_value=1_000,
        max_value=100_000_000,
    ),
    SetupField(
        "interactions.smtp_host", "str", None, "SMTP server for e-mail delivery.", max_length=250
    ),
    SetupField("interactions.smtp_port", "int", 25, "SMTP port.", min_value=1, max_value=65535),
    SetupField("interactions.smtp_starttls", "bool", False, "Use STARTTLS on the SMTP link."),
    SetupField(
        "interactions.smtp_user",
        "str",
        None,
        f"SMTP user (the password comes from {SMTP_PASSWORD_ENV}).",
        max_length=250,
    ),
    SetupField(
        "interactions.smtp_from",
        "str",
        None,
        "Sender address of delivered e-mails.",
        max_length=250,
    ),
    SetupField(
        "interactions.hard_copy_folder",
        "str",
        None,
        "Folder where hard-copy deliveries are rendered, one file per interaction.",
        max_length=250,
    ),
    SetupField("interactions.to_do_nos", "series", None, "Number series for tasks (§7.1)."),
]
