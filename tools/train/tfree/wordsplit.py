"""Word splitting (spec section 1): text_to_words / words_to_text."""
import re

WHITESPACE = " "
LINEBREAK = "\n"
NO_WS_TOKEN = "<|no_ws|>"
WS_TOKEN = "<|ws|>"
LINEBREAK_TOKEN = "<|\n|>"
END_OF_TEXT = "<|endoftext|>"

# Characters after which no space is expected / before which no space is expected (spec 1.1).
NWA = set("#$=-+*/'\"\\(<[]~^&@%_\n ")
NWB = set(".,:;?!=-+*/'\"\\)>]~^&@%_\n 1234567890")
assert len(NWA) == 22 and len(NWB) == 35  # the spec text says "31"; its list has 35

_SPECIAL_RE = re.compile(r"(<\|.*?\|>)")
_PIECE_RE = re.compile(r"(\d|\W|\_)")
_FACT_RE = re.compile(r"^<\|(\d+)")


def _is_special(w):
    return w.startswith("<|") and w.endswith("|>")


def _compress_whitespace(pieces):
    # A. insert <|no_ws|> where a space was expected but is missing
    t = [pieces[0]]
    for x, y in zip(pieces, pieces[1:]):
        if x != " " and y != " " and x[-1] not in NWA and y[0] not in NWB:
            t.append(NO_WS_TOKEN)
        t.append(y)
    # B. drop expected spaces, mark unexpected ones
    out = []
    n = len(t)
    for i, x in enumerate(t):
        if x != " ":
            out.append(x)
        elif i == 0 or i == n - 1:
            out.append(WS_TOKEN)
        elif t[i - 1][-1] in NWA or t[i + 1][0] in NWB:
            out.append(WS_TOKEN)
        # else: the expected space, dropped
    return out


def _factorial_merge(pieces):
    out = []
    i = 0
    n = len(pieces)
    while i < n:
        p = pieces[i]
        if p == WS_TOKEN or p == LINEBREAK_TOKEN:
            j = i
            while j < n and pieces[j] == p:
                j += 1
            c = j - i
            f = "<-ws->" if p == WS_TOKEN else "<-\n->"
            q, r = divmod(c, 2)
            while q > 2:
                out.append("<|4" + f + "|>")
                q -= 2
            if r == 0:
                out.append("<|" + str(2 * q) + f + "|>")
            else:
                if q > 0:
                    out.append("<|" + str(2 * q) + f + "|>")
                out.append(p)
            i = j
        else:
            out.append(p)
            i += 1
    return out


def text_to_words(text):
    words = []
    for t in _SPECIAL_RE.split(text):
        if t.startswith("<|") and t.endswith("|>"):
            words.append(t)
            continue
        pieces = [p for p in _PIECE_RE.split(t) if p]
        if not pieces:
            continue
        pieces = _compress_whitespace(pieces)
        pieces = [LINEBREAK_TOKEN if p == "\n" else p for p in pieces]
        pieces = _factorial_merge(pieces)
        words.extend(p for p in pieces if p)
    return words


def words_to_text(words):
    # 1. expand factorial tokens
    exp = []
    for w in words:
        if (w.startswith("<|") and w.endswith("|>") and len(w) > 2 and w[2] in "0123456789"
                and ("<-ws->" in w or "<-\n->" in w)):
            n = int(_FACT_RE.match(w).group(1))
            exp.extend([WS_TOKEN if "<-ws->" in w else LINEBREAK_TOKEN] * n)
        else:
            exp.append(w)
    # 2. re-insert expected spaces
    parts = []
    for i, w in enumerate(exp):
        if i > 0:
            p = exp[i - 1]
            if not (p == NO_WS_TOKEN or w == NO_WS_TOKEN or (p and p[-1] in NWA)
                    or (w and w[0] in NWB) or p == WS_TOKEN or w == WS_TOKEN
                    or _is_special(p) or _is_special(w)):
                parts.append(" ")
        if w == WS_TOKEN:
            parts.append(" ")
        elif w == NO_WS_TOKEN:
            pass
        elif w == LINEBREAK_TOKEN:
            parts.append("\n")
        else:
            parts.append(w)
    return "".join(parts)
