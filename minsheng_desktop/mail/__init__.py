"""E-mail: compose the monthly report (.eml) from plain data, send it over SMTP, the password; read the month's
returns from a mailbox over IMAP (imap.py, received.py). No Qt, no database.

The use cases (outbox, sent log, what the mail says from the database) are services.mailing and services.outbox."""
