"""The shape of one category's phrase data, and the small template language the corpus generator expands.

A template is plain Chinese with three kinds of markup:

- ``{name}``: a slot, filled with one word from the category's slots or the shared ones (``corpus.SHARED``);
- ``{甲|乙|丙}``: an inline choice of one of the alternatives;
- ``[…]``: an optional part, kept half of the time.

Slot words may themselves contain markup, so ``{addr}`` can become ``{road}{num}弄{bldg}号``.
"""

from dataclasses import dataclass, field


def lines(block: str) -> list[str]:
    """The non-empty lines of a triple-quoted block, stripped; ``#`` starts a comment line."""
    return [s for line in block.splitlines() if (s := line.strip()) and not s.startswith("#")]


@dataclass(frozen=True)
class Phrases:
    """How people describe one category of event.

    ``facts`` are the complaint itself, in a caller's or an operator's words (one template a line, no final
    punctuation); ``short`` are the terse notes of a grid worker or the title of an app report; ``effects``
    are what it does to the caller; ``asks`` what they want done. ``slots`` maps a slot name to its words,
    separated by whitespace.
    """

    facts: str
    short: str
    effects: str = ""
    asks: str = ""
    slots: dict[str, str] = field(default_factory=dict)

    def parts(self) -> dict[str, list[str]]:
        """The templates and slot words as lists, keyed by slot name (``fact``, ``short``, ``effect`` …)."""
        out = {name: words.split() for name, words in self.slots.items()}
        out |= {"fact": lines(self.facts), "short": lines(self.short)}
        out |= {"effect": lines(self.effects), "ask": lines(self.asks)}
        return out
