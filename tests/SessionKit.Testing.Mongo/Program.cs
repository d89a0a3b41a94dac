using SessionKit.Testing.Mongo;

// The wire peer as a process, for tests/consumer-test.sh: `--replica-set` makes it the primary of "rs0". Prints the
// port it listens on (a free one), then serves until the process is stopped.
await using var peer = new WirePeer();
if (args.Contains("--replica-set"))
{
    peer.AsReplicaSetPrimary();
}

Console.WriteLine(peer.Port);
await Task.Delay(Timeout.Infinite);
