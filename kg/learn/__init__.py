"""Learning the extractors' decisions from the annotated corpus in training/ (kg train)."""
