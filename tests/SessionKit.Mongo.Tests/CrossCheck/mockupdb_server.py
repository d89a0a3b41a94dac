"""MockupDB (Debian python3-mockupdb), a MongoDB wire server written independently of the .NET driver, as the store's peer.

Prints its port, then serves until the test ends it (or 60 s pass): answers the handshake as a one-member
replica-set primary, prints every other command it receives as one JSON line ("RECEIVED <canonical extended JSON>")
for the test to compare with what it expects, and answers each with the smallest reply the driver accepts. A find
whose filter names a subject returns one key-only document, so that the subject operations go on to their writes.
"""
import time

from bson import json_util
from bson.binary import UuidRepresentation
from mockupdb import MockupDB

JSON_OPTIONS = json_util.JSONOptions(json_mode=json_util.JSONMode.CANONICAL, uuid_representation=UuidRepresentation.STANDARD)

server = MockupDB(auto_ismaster=False)
port = server.run()
address = "127.0.0.1:%d" % port
print(port, flush=True)

deadline = time.time() + 60
while time.time() < deadline:
    try:
        request = server.receives(timeout=deadline - time.time())
    except AssertionError:
        break
    document = dict(request.doc)
    name = next(iter(document))
    lowered = name.lower()
    if lowered in ("ismaster", "hello"):
        request.reply({"ismaster": True, "isWritablePrimary": True, "helloOk": True, "setName": "rs0", "hosts": [address],
                       "primary": address, "me": address, "maxWireVersion": 21, "minWireVersion": 0, "setVersion": 1,
                       "logicalSessionTimeoutMinutes": 30, "maxBsonObjectSize": 16777216, "connectionId": 1,
                       "maxMessageSizeBytes": 48000000, "maxWriteBatchSize": 100000})
        continue
    print("RECEIVED " + json_util.dumps(document, json_options=JSON_OPTIONS), flush=True)
    if lowered == "endsessions":
        request.reply({})
        break
    elif lowered == "insert":
        request.reply({"n": len(document.get("documents", []))})
    elif lowered == "find":
        batch = [{"_id": "h" * 43, "p": "pppppppp"}] if "sub" in document.get("filter", {}) else []
        request.reply({"cursor": {"id": 0, "ns": document["$db"] + "." + document["find"], "firstBatch": batch}})
    elif lowered == "findandmodify":
        value = None
        if document.get("upsert") and document.get("new"):
            value = dict(document["update"].get("$set", {}))
            value["_id"] = document["query"]["_id"]
            value.setdefault("version", 1)
        request.reply({"value": value, "lastErrorObject": {"n": 1 if value else 0, "updatedExisting": False}})
    elif lowered in ("update", "delete"):
        request.reply({"n": 1, "nModified": 1})
    else:
        request.reply({})
server.stop()
