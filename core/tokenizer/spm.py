"""SentencePiece-style (SPM) tokenizer that reproduces llama.cpp's ``llama`` vocabulary exactly.

Scope: encoding, decoding and JSON persistence of an SPM vocabulary (pieces, float32 scores,
``gguf.TokenType`` types). The encoder follows llama.cpp's ``llama_vocab::impl::tokenize`` for
``LLAMA_VOCAB_TYPE_SPM`` (see ``../shared/reference/gguf-llama-cpp.md`` §3.3):

1. special-token partitioning (CONTROL/UNKNOWN only when ``parse_special``; USER_DEFINED always),
   longest token text first, leftmost non-overlapping occurrences;
2. a ``" "`` prefix for every raw fragment at the start or after a special token
   (``add_space_prefix``), then every ``" "`` becomes ``"▁"`` (U+2581);
3. per fragment: one symbol per character, a max-heap of adjacent bigrams whose concatenation is a
   vocabulary token (highest score first, ties: smaller left index), merge until empty;
4. symbols that are not tokens become ``<0xXX>`` byte tokens.

Speed: if every piece has the form ``▁*[^▁]*`` (all ``▁`` in a leading run; true for vocabularies
built by :mod:`simplex_training.tokenizer.trainer`) no token can span a position where a ``▁``
follows a non-``▁`` character. The heap algorithm then never merges across such a position, and
merges on either side never interact, so encoding each "word" separately (and memoizing it) gives
the identical result. Other vocabularies are encoded fragment by fragment (memoized by text).

Decoding follows ``llama_token_to_piece`` (NORMAL: ``▁`` -> space; BYTE: the raw byte;
CONTROL/UNKNOWN: empty unless ``special``; USER_DEFINED: the text; others: empty).
"""

from __future__ import annotations

import heapq
import json
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from simplex_training.atomic import atomic_write_text

SPACE = "\u2581"  # "▁", SentencePiece's escaped space

# gguf.TokenType values (kept literal so this module does not import gguf)
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6

UNK_PIECE, BOS_PIECE, EOS_PIECE = "<unk>", "<s>", "</s>"
CHAT_PIECES = ("<|user|>", "<|assistant|>", "<|end|>")
MAX_PIECE_BYTES = 31  # llama-cpp-python detokenizes each token into a 32-byte buffer

_WORD = re.compile(f"{SPACE}*[^{SPACE}]+|{SPACE}+")
_MEMO_LIMIT = 1 << 20  # entries; the memo is cleared when full
_MEMO_MAX_LEN = 256  # longer strings are not memoized (they rarely repeat)
_FORMAT = "simplex-spm"


def byte_piece(b: int) -> str:
    """The text of the byte-fallback token for byte ``b`` (exactly ``<0x%02X>``)."""
    return f"<0x{b:02X}>"


class SPMTokenizer:
    """An SPM vocabulary with llama.cpp-exact ``encode`` and ``decode``.

    :param pieces: token texts, unique, indexed by id.
    :param scores: one score per token; rounded to float32 like the GGUF ``tokenizer.ggml.scores``.
    :param types: one ``gguf.TokenType`` value per token.
    :param add_space_prefix: llama.cpp's ``tokenizer.ggml.add_space_prefix`` (default true for SPM).
    """

    def __init__(
        self,
        pieces: Sequence[str],
        scores: Sequence[float],
        types: Sequence[int],
        *,
        bos_id: int = 1,
        eos_id: int = 2,
        unk_id: int = 0,
        add_space_prefix: bool = True,
        add_bos: bool = True,
        add_eos: bool = False,
    ):
        if not (len(pieces) == len(scores) == len(types)):
            raise ValueError(f"pieces/scores/types lengths differ: {len(pieces)}/{len(scores)}/{len(types)}")
        self.pieces: list[str] = [str(p) for p in pieces]
        self.scores: list[float] = [float(s) for s in np.asarray(scores, dtype=np.float32)]
        self.types: list[int] = [int(t) for t in types]
        self.piece_to_id: dict[str, int] = {p: i for i, p in enumerate(self.pieces)}
        if len(self.piece_to_id) != len(self.pieces):
            dup = next(p for i, p in enumerate(self.pieces) if self.piece_to_id[p] != i)
            raise ValueError(f"duplicate token text {dup!r}")
        for what, tid in (("bos", bos_id), ("eos", eos_id), ("unk", unk_id)):
            if not 0 <= tid < len(self.pieces):
                raise ValueError(f"{what}_id {tid} is out of range for {len(self.pieces)} tokens")
        self.bos_id, self.eos_id, self.unk_id = bos_id, eos_id, unk_id
        self.add_space_prefix, self.add_bos, self.add_eos = add_space_prefix, add_bos, add_eos

        self._neg_scores = [-s for s in self.scores]
        # special candidates, longest text (in bytes) first; ties by id for determinism
        cands = [i for i, t in enumerate(self.types) if t in (CONTROL, USER_DEFINED, UNKNOWN)]
        cands.sort(key=lambda i: (-len(self.pieces[i].encode("utf-8")), i))
        self._specials = [(self.pieces[i], i, self.types[i]) for i in cands if self.pieces[i]]
        self._byte_ids: list[int | None] = []
        for b in range(256):
            tid = self.piece_to_id.get(byte_piece(b))
            if tid is None and b < 0x80:
                tid = self.piece_to_id.get(chr(b))
            self._byte_ids.append(tid)
        self.word_split_exact = all(SPACE not in p.lstrip(SPACE) for p in self.pieces)
        self._memo: dict[str, tuple[int, ...]] = {}
        self._piece_bytes = [self._piece_bytes_of(i, special=False) for i in range(len(self.pieces))]
        self._piece_bytes_special = [self._piece_bytes_of(i, special=True) for i in range(len(self.pieces))]

    # ------------------------------------------------------------------ construction helpers

    @classmethod
    def from_pieces(
        cls, pieces: Iterable[tuple[str, float]], extra_control: Sequence[str] = CHAT_PIECES
    ) -> SPMTokenizer:
        """Build the standard layout: ``<unk>``, ``<s>``, ``</s>``, ``extra_control`` (CONTROL),
        the 256 byte tokens, then the given NORMAL ``(piece, score)`` pairs in order."""
        texts = [UNK_PIECE, BOS_PIECE, EOS_PIECE, *extra_control] + [byte_piece(b) for b in range(256)]
        types = [UNKNOWN, CONTROL, CONTROL] + [CONTROL] * len(extra_control) + [BYTE] * 256
        scores = [0.0] * len(texts)
        for piece, score in pieces:
            if len(piece.encode("utf-8")) > MAX_PIECE_BYTES:
                raise ValueError(f"piece {piece!r} is longer than {MAX_PIECE_BYTES} bytes")
            texts.append(piece)
            scores.append(score)
            types.append(NORMAL)
        return cls(texts, scores, types)

    @property
    def vocab_size(self) -> int:
        return len(self.pieces)

    def __len__(self) -> int:
        return len(self.pieces)

    def token_id(self, piece: str) -> int | None:
        """The id of the token whose text is ``piece``, or ``None``."""
        return self.piece_to_id.get(piece)

    # ------------------------------------------------------------------ encoding

    def encode(self, text: str, add_bos: bool = True, parse_special: bool = False) -> list[int]:
        """Token ids exactly as ``llama_tokenize(vocab, text, add_special=add_bos, parse_special)``.

        ``add_bos`` plays the role of llama.cpp's ``add_special``: BOS if the vocabulary adds BOS,
        EOS if it adds EOS (``add_eos``, false by default).
        """
        out: list[int] = [self.bos_id] if add_bos and self.add_bos else []
        out += self._encode_text(text, parse_special, prefix_first=True)
        if add_bos and self.add_eos:
            out.append(self.eos_id)
        return out

    def encode_raw(self, text: str) -> list[int]:
        """Tokens of ``text`` as a continuation of earlier text: no BOS, no special parsing, and no
        space prefix at the start (USER_DEFINED tokens are still split out, as always)."""
        return self._encode_text(text, parse_special=False, prefix_first=False)

    def _encode_text(self, text: str, parse_special: bool, prefix_first: bool) -> list[int]:
        out: list[int] = []
        if text:
            prev_special = prefix_first
            for frag in self._partition(text, parse_special):
                if isinstance(frag, int):
                    out.append(frag)
                    prev_special = True
                else:
                    if self.add_space_prefix and prev_special:
                        frag = " " + frag
                    out.extend(self._encode_escaped(frag.replace(" ", SPACE)))
                    prev_special = False
        return out

    def _partition(self, text: str, parse_special: bool) -> list[str | int]:
        frags: list[str | int] = [text]
        for piece, tid, ttype in self._specials:
            if ttype != USER_DEFINED and not parse_special:
                continue
            nxt: list[str | int] = []
            for frag in frags:
                if isinstance(frag, int) or piece not in frag:
                    nxt.append(frag)
                    continue
                parts = frag.split(piece)
                for k, part in enumerate(parts):
                    if k:
                        nxt.append(tid)
                    if part:
                        nxt.append(part)
            frags = nxt
        return frags

    def _encode_escaped(self, s: str) -> tuple[int, ...] | list[int]:
        if not self.word_split_exact:
            return self._memo_spm(s)
        out: list[int] = []
        for word in _WORD.findall(s):
            out.extend(self._memo_spm(word))
        return out

    def _memo_spm(self, s: str) -> tuple[int, ...] | list[int]:
        if len(s) > _MEMO_MAX_LEN:
            return self._spm(s)
        ids = self._memo.get(s)
        if ids is None:
            ids = tuple(self._spm(s))
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            self._memo[s] = ids
        return ids

    def _spm(self, s: str) -> list[int]:
        """llama.cpp's ``llm_tokenizer_spm_session::tokenize`` on one escaped fragment.

        Symbol ``i`` always starts at character ``i`` (merges absorb the right neighbour), so a
        symbol is ``s[i:i + length[i]]``; a heap entry is (-score, left, right, merged length).
        """
        n = len(s)
        vocab, neg = self.piece_to_id, self._neg_scores
        length = [1] * n
        prev = list(range(-1, n - 1))
        nxt = list(range(1, n + 1))
        if n:
            nxt[-1] = -1
        heap = []
        for i in range(1, n):
            tid = vocab.get(s[i - 1 : i + 1])
            if tid is not None:
                heap.append((neg[tid], i - 1, i, 2))
        heapq.heapify(heap)
        push, pop = heapq.heappush, heapq.heappop
        while heap:
            _, left, right, size = pop(heap)
            ln, rn = length[left], length[right]
            if ln == 0 or rn == 0 or ln + rn != size:
                continue
            length[left] = size
            length[right] = 0
            r2 = nxt[right]
            nxt[left] = r2
            if r2 >= 0:
                prev[r2] = left
            p = prev[left]
            if p >= 0:
                tid = vocab.get(s[p : left + size])
                if tid is not None:
                    push(heap, (neg[tid], p, left, length[p] + size))
            if r2 >= 0:
                tid = vocab.get(s[left : r2 + length[r2]])
                if tid is not None:
                    push(heap, (neg[tid], left, r2, size + length[r2]))
        out: list[int] = []
        i = 0 if n else -1
        while i >= 0:
            piece = s[i : i + length[i]]
            tid = vocab.get(piece)
            if tid is not None:
                out.append(tid)
            else:  # only single characters can be unknown: byte fallback
                for b in piece.encode("utf-8"):
                    bid = self._byte_ids[b]
                    if bid is None:
                        raise ValueError(f"no byte token {byte_piece(b)} for character {piece!r}")
                    out.append(bid)
            i = nxt[i]
        return out

    # ------------------------------------------------------------------ decoding

    def _piece_bytes_of(self, tid: int, special: bool) -> bytes:
        t, text = self.types[tid], self.pieces[tid]
        if t in (CONTROL, UNKNOWN):
            return text.encode("utf-8") if special else b""
        if t == USER_DEFINED:
            return text.encode("utf-8")
        if t == NORMAL:
            return text.replace(SPACE, " ").encode("utf-8")
        if t == BYTE:
            m = re.fullmatch(r"<0x([0-9A-Fa-f]{2})>", text)
            return bytes([int(m.group(1), 16)]) if m else b""
        return b""

    def decode_piece(self, tid: int, special: bool = False) -> bytes:
        """The bytes of one token, as llama.cpp ``llama_token_to_piece(..., lstrip=0, special)``."""
        return (self._piece_bytes_special if special else self._piece_bytes)[tid]

    def decode_bytes(self, ids: Iterable[int], special: bool = False) -> bytes:
        """Concatenated token bytes, with no leading-space handling."""
        table = self._piece_bytes_special if special else self._piece_bytes
        return b"".join(table[i] for i in ids)

    def decode(self, ids: Sequence[int], special: bool = False, strip_leading_space: bool | None = None) -> str:
        """Text of ``ids``; invalid UTF-8 byte sequences become U+FFFD.

        ``strip_leading_space=None`` follows llama-cpp-python's ``detokenize``: one leading space is
        removed only when ``ids[0]`` is BOS. Hence ``decode(encode(text)) == text``, except that a
        literal ``▁`` in ``text`` comes back as a space (SPM escaping; llama.cpp does the same).
        """
        data = self.decode_bytes(ids, special)
        if strip_leading_space is None:
            strip_leading_space = len(ids) > 0 and ids[0] == self.bos_id
        if strip_leading_space and data[:1] == b" ":
            data = data[1:]
        return data.decode("utf-8", errors="replace")

    # ------------------------------------------------------------------ persistence

    def to_dict(self) -> dict:
        return {
            "format": _FORMAT,
            "version": 1,
            "pieces": self.pieces,
            "scores": self.scores,
            "types": self.types,
            "bos_id": self.bos_id,
            "eos_id": self.eos_id,
            "unk_id": self.unk_id,
            "add_space_prefix": self.add_space_prefix,
            "add_bos": self.add_bos,
            "add_eos": self.add_eos,
        }

    @classmethod
    def from_dict(cls, data: dict) -> SPMTokenizer:
        if data.get("format") != _FORMAT:
            raise ValueError(f"not a {_FORMAT} tokenizer (format={data.get('format')!r})")
        return cls(
            data["pieces"],
            data["scores"],
            data["types"],
            bos_id=data["bos_id"],
            eos_id=data["eos_id"],
            unk_id=data["unk_id"],
            add_space_prefix=data["add_space_prefix"],
            add_bos=data["add_bos"],
            add_eos=data["add_eos"],
        )

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the tokenizer as JSON, atomically."""
        atomic_write_text(path, json.dumps(self.to_dict(), ensure_ascii=False))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> SPMTokenizer:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
