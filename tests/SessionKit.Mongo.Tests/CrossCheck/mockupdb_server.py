"""Cross-check helper: MockupDB (Debian python3-mockupdb), an independent OP_MSG server, as the C# client's peer.

Prints the port, then serves until it receives endSessions (or 60 s pass): answers isMaster as a one-member replica
set primary, stores inserted documents by _id (decoded by PyMongo's bson), answers find on _id from that store, and
prints every command it received as one JSON line ("RECEIVED <json>") for the test to inspect.
"""
import sys
import time

from bson import json_util
from bson.binary import UuidRepresentation
from mockupdb import MockupDB, OpMsgReply

# MockupDB decodes subtype-4 binaries to uuid.UUID; print them back as the standard subtype 4 they arrived as.
JSON_OPTIONS = json_util.JSONOptions(json_mode=json_util.JSONMode.CANONICAL, uuid_representation=UuidRepresentation.STANDARD)

server = MockupDB(auto_ismaster=False)
port = server.run()
address = "127.0.0.1:%d" % port
print(port, flush=True)

store = {}
deadline = time.time() + 60
while time.time() < deadline:
    try:
        request = server.receives(timeout=deadline - time.time())
    except AssertionError:
        break
    document = dict(request.doc)
    if request.docs and len(request.docs) > 1:
        document["documents"] = list(request.docs[1:])
    name = next(iter(request.doc)).lower()
    print("RECEIVED " + json_util.dumps(document, json_options=JSON_OPTIONS), flush=True)
    if name in ("ismaster", "hello"):
        request.reply({"ismaster": True, "isWritablePrimary": True, "setName": "rs0", "hosts": [address],
                       "primary": address, "me": address, "maxWireVersion": 8, "minWireVersion": 0,
                       "logicalSessionTimeoutMinutes": 30, "maxBsonObjectSize": 16777216,
                       "maxMessageSizeBytes": 48000000, "maxWriteBatchSize": 100000})
    elif name == "insert":
        docs = document.get("documents", [])
        for doc in docs:
            store[doc["_id"]] = doc
        request.reply({"n": len(docs)})
    elif name == "find":
        wanted = document["filter"].get("_id")
        batch = [store[wanted]] if wanted in store else []
        request.reply({"cursor": {"id": 0, "ns": document["$db"] + "." + document["find"], "firstBatch": batch}})
    elif name == "endsessions":
        request.reply({})
        break
    else:
        request.reply({})
server.stop()
