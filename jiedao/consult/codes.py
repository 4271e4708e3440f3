"""表决码 signing: the token printed on a consultation letter is a signature over the code's random nonce
(``django.core.signing``, its own salt), as the registry signs household QR codes and visits its feedback cards."""

from django.core import signing

from jiedao.consult.models import VotingCode

CODE_SALT = "jiedao.consult.voting-code"


def token_for(code: VotingCode) -> str:
    """The signed token printed (as a QR code and as text) on the consultation letter."""
    return signing.Signer(salt=CODE_SALT).sign(code.nonce)


def nonce_of(token: str) -> str | None:
    """The nonce a token signs, or None for a forged or altered token (no database read)."""
    try:
        return signing.Signer(salt=CODE_SALT).unsign(token or "")
    except signing.BadSignature:
        return None
