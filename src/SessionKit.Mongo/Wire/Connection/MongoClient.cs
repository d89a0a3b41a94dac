using SessionKit.Mongo.Wire.Bson;
using SessionKit.Mongo.Wire.Protocol;

namespace SessionKit.Mongo.Wire.Connection;

/// <summary>
/// Runs commands on the primary of one deployment. Adds <c>$db</c>, an implicit session (<c>lsid</c>) when the server
/// supports sessions and, for retryable writes, a <c>txnNumber</c>. On a "not primary"/"node is recovering" error or a
/// network error it forgets the primary, rediscovers it and retries once (writes only when the retryable-write rules
/// allow it: acknowledged, sessions supported, not a standalone; the retry reuses the same lsid and txnNumber).
/// </summary>
internal sealed class MongoClient : IAsyncDisposable
{
    private readonly ServerSessionPool _sessions = new();

    public MongoClient(MongoConnectionSettings settings, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        Settings = settings;
        Topology = new MongoTopology(settings, new MongoConnector(settings), logger);
    }

    public MongoConnectionSettings Settings { get; }

    public MongoTopology Topology { get; }

    /// <summary>Runs a read (or a non-retryable command); retried once on a state-change or network error.</summary>
    public Task<BsonDocument> ReadAsync(string database, BsonDocument command, CancellationToken cancellationToken)
        => RunAsync(database, command, [], retryableWrite: false, cancellationToken);

    /// <summary>Runs a write that is retryable per the spec (insert, single update/delete, findAndModify).</summary>
    public Task<BsonDocument> WriteAsync(string database, BsonDocument command, IReadOnlyList<OpMsgSequence> sequences, CancellationToken cancellationToken)
        => RunAsync(database, command, sequences, retryableWrite: true, cancellationToken);

    /// <summary>Runs a write that must not be retried (a multi-document update or delete).</summary>
    public Task<BsonDocument> WriteOnceAsync(string database, BsonDocument command, CancellationToken cancellationToken)
        => RunAsync(database, command, [], retryableWrite: false, cancellationToken, isWrite: true);

    private async Task<BsonDocument> RunAsync(string database, BsonDocument command, IReadOnlyList<OpMsgSequence> sequences, bool retryableWrite, CancellationToken cancellationToken, bool isWrite = false)
    {
        isWrite |= retryableWrite;
        command.Set("$db", database);
        ServerSession? session = null;

        // A failed retry surfaces its own error unchanged (the spec's "latest error from an attempted write"), so callers
        // still see codes such as duplicate key (11000) after a retry.
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var endPoint = await Topology.SelectPrimaryAsync(cancellationToken).ConfigureAwait(false);
                var pool = Topology.Pool(endPoint);
                MongoConnection connection;
                try
                {
                    connection = await pool.RentAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (attempt == 1 && IsUnreachable(e) && !cancellationToken.IsCancellationRequested)
                {
                    // Nothing was sent, so trying again after rediscovery is safe for any command.
                    Topology.MarkUnknown(endPoint, clearPool: true, e.GetType().Name);
                    continue;
                }

                var hello = connection.Hello;
                var canRetry = attempt == 1 && (!isWrite || (retryableWrite && Settings.RetryWrites && hello.SupportsRetryableWrites && IsAcknowledged(command)));
                try
                {
                    if (hello.LogicalSessionTimeoutMinutes is { } minutes)
                    {
                        // A command that already names its session (getMore continuing a cursor) keeps it.
                        if (!command.Contains("lsid") || session is not null)
                        {
                            session ??= _sessions.Acquire(minutes);
                            command.Set("lsid", session.Lsid());
                        }

                        if (session is not null && canRetry && isWrite && !command.Contains("txnNumber"))
                        {
                            command.Set("txnNumber", ++session.TxnNumber);
                        }
                    }

                    var reply = await connection.RoundTripAsync(command, sequences, cancellationToken).ConfigureAwait(false);
                    MongoServerException.ThrowIfFailed(reply);
                    return reply;
                }
                catch (MongoServerException e) when (e.IsStateChange)
                {
                    Topology.MarkUnknown(endPoint, clearPool: e.IsShutdown, e.CodeName ?? "code " + e.Code);
                    if (!canRetry || (isWrite && !e.IsRetryableWriteError(hello.MaxWireVersion)))
                    {
                        throw;
                    }
                }
                catch (Exception e) when (e is IOException or TimeoutException or WireProtocolException && !cancellationToken.IsCancellationRequested)
                {
                    // A network error: the connection is gone (the connection closed itself), the server's state is unknown.
                    Topology.MarkUnknown(endPoint, clearPool: true, e.GetType().Name);
                    session?.IsDirty = true;
                    if (!canRetry || !command.Contains("txnNumber") && isWrite)
                    {
                        throw;
                    }
                }
                finally
                {
                    await pool.ReturnAsync(connection).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (session is not null)
            {
                _sessions.Release(session);
            }
        }
    }

    /// <summary>Opening a connection failed because the server is down or unreachable (not because the pool is saturated).</summary>
    private static bool IsUnreachable(Exception e)
        => e is IOException or System.Net.Sockets.SocketException || (e is TimeoutException && e is not ConnectionPoolTimeoutException);

    private static bool IsAcknowledged(BsonDocument command)
        => command.GetDocument("writeConcern") is not { } writeConcern || writeConcern["w"] is not 0;

    public async ValueTask DisposeAsync()
    {
        var sessions = _sessions.Drain();
        if (sessions.Count > 0 && Topology.KnownPrimary is not null)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                var ids = new BsonArray(sessions.Take(10_000).Select(s => (object?)s.Lsid()));
                await ReadAsync("admin", new BsonDocument().Add("endSessions", ids), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // endSessions is a courtesy; the server expires idle sessions on its own.
            }
        }

        await Topology.DisposeAsync().ConfigureAwait(false);
    }
}
