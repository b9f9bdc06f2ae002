"""The bounded body reader: each encoding the client asks for, and the cap on both counts."""

from __future__ import annotations

import zlib

import httpx
import pytest

from cw_facade._errors import ConnectWiseResponseTooLargeError
from cw_facade._primitives import BodyReader

BODY = b'{"id": 1, "summary": "' + b"s" * 5000 + b'"}'


def _packed(wbits: int, data: bytes = BODY) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return packer.compress(data) + packer.flush()


def _read(encoding: str, raw: bytes, cap: int | None, step: int = 7) -> bytes:
    response = httpx.Response(200, headers={"content-encoding": encoding} if encoding else {})
    reader = BodyReader(response, cap)
    for start in range(0, len(raw), step):
        reader.feed(raw[start : start + step])
    return reader.body()


@pytest.mark.parametrize(
    ("encoding", "raw"),
    [
        ("", BODY),
        ("identity", BODY),
        ("gzip", _packed(16 + zlib.MAX_WBITS)),
        ("x-gzip", _packed(16 + zlib.MAX_WBITS)),
        ("deflate", _packed(zlib.MAX_WBITS)),
        ("deflate", _packed(-zlib.MAX_WBITS)),
        (
            "gzip",
            _packed(16 + zlib.MAX_WBITS, BODY[:100]) + _packed(16 + zlib.MAX_WBITS, BODY[100:]),
        ),
    ],
    ids=["none", "identity", "gzip", "x-gzip", "zlib-deflate", "raw-deflate", "two-members"],
)
def test_each_encoding_decodes_in_pieces(encoding: str, raw: bytes) -> None:
    assert _read(encoding, raw, cap=len(BODY)) == BODY


def test_the_decoded_size_is_capped() -> None:
    with pytest.raises(ConnectWiseResponseTooLargeError) as info:
        _read("gzip", _packed(16 + zlib.MAX_WBITS), cap=len(BODY) - 1)
    assert info.value.limit == len(BODY) - 1


def test_the_received_size_is_capped() -> None:
    with pytest.raises(ConnectWiseResponseTooLargeError):
        _read("", BODY, cap=100)


def test_no_cap_reads_everything() -> None:
    assert _read("gzip", _packed(16 + zlib.MAX_WBITS), cap=None) == BODY


def test_a_corrupt_gzip_body_is_a_decoding_error() -> None:
    with pytest.raises(httpx.DecodingError):
        _read("gzip", b"\x1f\x8b\x08\x00garbage-not-deflate-data", cap=None)
