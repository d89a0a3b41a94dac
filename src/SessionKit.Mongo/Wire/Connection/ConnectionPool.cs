using System.Collections.Concurrent;

namespace SessionKit.Mongo.Wire.Connection;

/// <summary>
/// The connections to one server: at most <c>maxPoolSize</c> in use or idle, a bounded wait for a free slot
/// (<c>waitQueueTimeoutMS</c>), and a generation counter so that <see cref="Clear"/> retires every connection opened
/// before it (after a network error or a shutdown error) without closing ones still in use by other operations.
/// </summary>
internal sealed class ConnectionPool : IAsyncDisposable
{
    private readonly MongoEndPoint _endPoint;
    private readonly MongoConnector _connector;
    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan _waitQueueTimeout;
    private readonly ConcurrentStack<MongoConnection> _idle = new();
    private int _generation;
    private bool _disposed;

    public ConnectionPool(MongoEndPoint endPoint, MongoConnector connector, int maxSize, TimeSpan waitQueueTimeout)
    {
        _endPoint = endPoint;
        _connector = connector;
        _slots = new SemaphoreSlim(maxSize, maxSize);
        _waitQueueTimeout = waitQueueTimeout;
        MaxSize = maxSize;
    }

    public int MaxSize { get; }

    /// <summary>Connections currently lent out (for tests and diagnostics).</summary>
    public int InUse => MaxSize - _slots.CurrentCount;

    public int IdleCount => _idle.Count;

    public async Task<MongoConnection> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!await _slots.WaitAsync(_waitQueueTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new ConnectionPoolTimeoutException($"All {MaxSize} connections to MongoDB server {_endPoint} stayed busy for waitQueueTimeoutMS ({_waitQueueTimeout.TotalSeconds:0.###} s).");
        }

        try
        {
            while (_idle.TryPop(out var idle))
            {
                if (!idle.IsBroken && idle.Generation == Volatile.Read(ref _generation))
                {
                    return idle;
                }

                await idle.DisposeAsync().ConfigureAwait(false);
            }

            return await _connector.OpenAsync(_endPoint, Volatile.Read(ref _generation), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    /// <summary>Gives a connection back: broken or stale ones are closed, healthy ones kept for reuse.</summary>
    public async ValueTask ReturnAsync(MongoConnection connection)
    {
        try
        {
            if (_disposed || connection.IsBroken || connection.Generation != Volatile.Read(ref _generation))
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                _idle.Push(connection);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Retires every connection opened so far; idle ones are closed now, busy ones when returned.</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        while (_idle.TryPop(out var idle))
        {
            _ = idle.DisposeAsync().AsTask();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_idle.TryPop(out var idle))
        {
            await idle.DisposeAsync().ConfigureAwait(false);
        }
    }
}
