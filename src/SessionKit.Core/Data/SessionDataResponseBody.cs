using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace SessionKit.Data;

/// <summary>
/// Puts itself in front of the response body once a request has changed its session data, and saves the data before the
/// first byte reaches the server: the endpoint's writes are held until its first flush (or start, or completion), the
/// data is saved, then they go out. A save that fails throws from that flush, before anything was sent, so the failure
/// still becomes a 503 (not a 200 whose changes were lost, and not a 500 from the server). The same on every server,
/// unlike <c>Response.OnStarting</c>, whose failures each server reports in its own way.
/// </summary>
/// <remarks>
/// After a failed save the body passes everything through (what was held is dropped), so the error response that
/// follows goes out as it is.
/// </remarks>
internal sealed class SessionDataResponseBody(IHttpResponseBodyFeature inner, Func<Task> save) : IHttpResponseBodyFeature
{
    private Task? _saving;
    private HeldWriter? _writer;
    private HoldingStream? _stream;

    public Stream Stream => _stream ??= new HoldingStream(this, inner.Stream);

    public PipeWriter Writer => _writer ??= new HeldWriter(this, inner.Writer);

    internal bool Failed { get; private set; }

    public void DisableBuffering() => inner.DisableBuffering();

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await ReleaseAsync().ConfigureAwait(false);
        await inner.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        await ReleaseAsync().ConfigureAwait(false);
        await inner.SendFileAsync(path, offset, count, cancellationToken).ConfigureAwait(false);
    }

    public async Task CompleteAsync()
    {
        await ReleaseAsync().ConfigureAwait(false);
        await inner.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Saves once, then lets the held bytes and everything after them through.</summary>
    private async Task ReleaseAsync()
    {
        if (Failed)
        {
            return;
        }

        try
        {
            await (_saving ??= save()).ConfigureAwait(false);
        }
        catch
        {
            Failed = true;
            _writer?.Drop();
            throw;
        }

        if (_writer is { } writer)
        {
            writer.Release();
        }
    }

    /// <summary>Holds what the endpoint writes through the pipe until the first flush.</summary>
    private sealed class HeldWriter(SessionDataResponseBody body, PipeWriter inner) : PipeWriter
    {
        private ArrayBufferWriter<byte>? _held = new(256);

        public override void Advance(int bytes)
        {
            if (_held is { } held)
            {
                held.Advance(bytes);
            }
            else
            {
                inner.Advance(bytes);
            }
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => _held?.GetMemory(sizeHint) ?? inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => _held is { } held ? held.GetSpan(sizeHint) : inner.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        // System.Text.Json's PipeWriter serializer needs to know how much is buffered.
        public override bool CanGetUnflushedBytes => _held is not null || inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => _held is { } held ? held.WrittenCount : inner.UnflushedBytes;

        public override void Complete(Exception? exception = null)
        {
            body.ReleaseAsync().GetAwaiter().GetResult();
            inner.Complete(exception);
        }

        public override async ValueTask CompleteAsync(Exception? exception = null)
        {
            await body.ReleaseAsync().ConfigureAwait(false);
            await inner.CompleteAsync(exception).ConfigureAwait(false);
        }

        public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            await body.ReleaseAsync().ConfigureAwait(false);
            return await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The save succeeded: pass the held bytes on; from now on every call goes straight through.</summary>
        public void Release()
        {
            if (_held is { WrittenCount: > 0 } held)
            {
                inner.Write(held.WrittenSpan);
            }

            _held = null;
        }

        /// <summary>The save failed: what the endpoint wrote must never be sent.</summary>
        public void Drop() => _held = null;
    }

    /// <summary>The response stream: every write or flush saves first.</summary>
    private sealed class HoldingStream(SessionDataResponseBody body, Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
            body.ReleaseAsync().GetAwaiter().GetResult();
            inner.Flush();
        }

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            await body.ReleaseAsync().ConfigureAwait(false);
            await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            body.ReleaseAsync().GetAwaiter().GetResult();
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await body.ReleaseAsync().ConfigureAwait(false);
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
