"""E-mail: compose the monthly report (.eml), send it over SMTP, keep the outbox and the sent log. No Qt."""
