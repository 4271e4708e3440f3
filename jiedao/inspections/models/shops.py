"""门责任制: the register of street-front shops and their monthly 五星 rating."""

__all__: list[str] = []
