"""HTTP edge of the relay: Powertools resolver, request and response models, error mapping."""
