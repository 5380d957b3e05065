"""contact-relay: relay a buyer's plain-text message to a seller through Amazon SES."""
