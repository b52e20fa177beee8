"""Korean particles (조사) chosen by the sound a word ends with: one helper for every message.

Korean writes 이/가, 을/를, 은/는, 과/와, 으로/로 and 아/야 after a word depending on
whether its last syllable ends in a consonant (받침). Translations that cannot know the
word write both forms, "%(name)s이(가)"; `fix_particles` picks the right one once the
word is in place, so "화학분석기능사이(가)" becomes "화학분석기능사가".
"""

from __future__ import annotations

import re

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
RIEUL = 8  # ㄹ as a final consonant: 으로/로 takes 로 after it, as after a vowel.

# How a digit or a Latin letter is read aloud in Korean, for its final sound:
# True = ends in a consonant, False = a vowel, "ㄹ" = ends in ㄹ.
_DIGITS = {
    "0": True,
    "1": "ㄹ",
    "2": False,
    "3": True,
    "4": False,
    "5": False,
    "6": True,
    "7": "ㄹ",
    "8": "ㄹ",
    "9": False,
}
_LATIN = dict.fromkeys("abcdefghijkopqstuvwxyz", False) | {"l": "ㄹ", "m": True, "n": True, "r": "ㄹ"}

# (with a final consonant, without one, both written together in a translation)
_PAIRS = {
    "이/가": ("이", "가", "이(가)"),
    "을/를": ("을", "를", "을(를)"),
    "은/는": ("은", "는", "은(는)"),
    "과/와": ("과", "와", "과(와)"),
    "아/야": ("아", "야", "아(야)"),
    "이다/다": ("이다", "다", "(이)다"),
    "으로/로": ("으로", "로", "(으)로"),
}


def final_sound(word: str) -> bool | str | None:
    """True if `word` is read ending in a consonant, "ㄹ" for ㄹ, False for a vowel, None if unknown.

    A closing bracket is skipped to the word before it: "기능사(필기)" is read as "기능사", and so
    is a closing quote, also when HTML-escaped ("&#x27;", "&quot;"), so that escaped text reads the same.
    """
    text = re.sub(r"(&#x27;|&#39;|&quot;)+$", "", word.strip())
    text = re.sub(r"\s*[(\[][^()\[\]]*[)\]]\s*$", "", text).rstrip(" .,'\"’”")
    if not text:
        return None
    last = text[-1]
    code = ord(last)
    if HANGUL_FIRST <= code <= HANGUL_LAST:
        jong = (code - HANGUL_FIRST) % 28
        if jong == 0:
            return False
        return "ㄹ" if jong == RIEUL else True
    if last in _DIGITS:
        return _DIGITS[last]
    return _LATIN.get(last.lower())


def particle(word: str, pair: str) -> str:
    """The particle of `pair` ("이/가", "을/를", "은/는", "과/와", "으로/로", "아/야") that follows `word`."""
    with_consonant, after_vowel, both = _PAIRS[pair]
    sound = final_sound(word)
    if sound is None:
        return both
    if pair == "으로/로" and sound == "ㄹ":
        return after_vowel
    return with_consonant if sound else after_vowel


def josa(word: str, pair: str) -> str:
    """`word` followed by the right particle: josa("화학분석기능사", "이/가") == "화학분석기능사가"."""
    return f"{word}{particle(word, pair)}"


_BOTH_FORMS = re.compile(r"(이\(가\)|을\(를\)|은\(는\)|과\(와\)|아\(야\)|\(이\)다|\(으\)로)")
_BY_BOTH = {both: pair for pair, (_c, _v, both) in _PAIRS.items()}


def fix_particles(text: str) -> str:
    """`text` with every "X이(가)"-style double particle replaced by the one X takes.

    Only a particle written straight after a word is fixed; one after a space or at the
    start is left as written, since there is no word to read.
    """

    def choose(match: re.Match) -> str:
        before = text[: match.start()]
        if not before or before[-1].isspace():
            return match.group(0)
        return particle(before, _BY_BOTH[match.group(0)])

    return _BOTH_FORMS.sub(choose, text)
