"""Cross-check helper: PyMongo's own bson module (Debian python3-pymongo) on the other side of the C# codec.

  decode  : reads hex BSON documents (one per line) and prints, per document, JSON with PyMongo's re-encoding
            ("hex") and each top-level field's Python type and value ("fields").
  encode  : prints the hex of a fixed document built with PyMongo's types, for the C# decoder to check.
"""
import datetime
import json
import sys
import uuid

import bson
from bson.binary import Binary, UuidRepresentation
from bson.codec_options import CodecOptions
from bson.int64 import Int64
from bson.objectid import ObjectId
from bson.son import SON
from bson.timestamp import Timestamp

OPTIONS = CodecOptions(document_class=SON, uuid_representation=UuidRepresentation.STANDARD, tz_aware=True)


def describe(value):
    if isinstance(value, datetime.datetime):
        return ["datetime", value.isoformat(timespec="milliseconds")]
    if isinstance(value, (SON, dict)):
        return ["document", {k: describe(v) for k, v in value.items()}]
    if isinstance(value, list):
        return ["array", [describe(v) for v in value]]
    if isinstance(value, bytes):
        return ["bytes", value.hex()]
    return [type(value).__name__, str(value)]


def main():
    if sys.argv[1] == "decode":
        for line in sys.stdin:
            if not line.strip():
                continue
            document = bson.BSON(bytes.fromhex(line.strip())).decode(codec_options=OPTIONS)
            again = bson.BSON.encode(document, codec_options=OPTIONS)
            print(json.dumps({"hex": again.hex(), "fields": {k: describe(v) for k, v in document.items()}}))
    else:
        document = SON([
            ("_id", "hashed-id"),
            ("double", 2.5),
            ("int32", 42),
            ("int64", Int64(1) << 40),
            ("bool", True),
            ("null", None),
            ("date", datetime.datetime(2024, 2, 29, 12, 34, 56, 789000, tzinfo=datetime.timezone.utc)),
            ("oid", ObjectId("612ec2800000000100000001")),
            ("bin", Binary(b"\x00\x01\xfe", 0)),
            ("uuid", uuid.UUID("db77c845-e60d-4d55-aebd-f2b71d487e06")),
            ("ts", Timestamp(1700000000, 7)),
            ("text", "Zoë Ångström ✓"),
            ("sub", SON([("a", [1, "two", SON([("three", 3.0)])])])),
        ])
        print(bson.BSON.encode(document, codec_options=OPTIONS).hex())


main()
