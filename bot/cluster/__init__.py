"""Work spread over a Ray cluster: embedding for indexing, and batch evaluation, by pools of actors."""
