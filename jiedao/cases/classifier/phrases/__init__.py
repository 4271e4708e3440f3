"""The phrase data of every classified category, one module per group of 大类 (each module's docstring says
where it draws the line between easily confused categories)."""

from jiedao.cases.classifier.phrases import community, environment, housing, safety, streets, works
from jiedao.cases.classifier.phrases.base import Phrases

PHRASES: dict[str, Phrases] = (
    environment.PHRASES | works.PHRASES | streets.PHRASES | housing.PHRASES | safety.PHRASES | community.PHRASES
)
