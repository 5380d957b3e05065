"""The local stack: run contact-relay on a laptop against embedded moto, no AWS account needed."""
