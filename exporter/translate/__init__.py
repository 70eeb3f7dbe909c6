"""Translation: a Document → Document transform per target language."""
