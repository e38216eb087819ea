namespace Megafon.Core.Recordings;

/// <summary>
/// A forward-only view of the PBX's response body that refuses to yield more than a limit, so a
/// recording without a Content-Length (or lying about it) is cut off while streaming, before the
/// blob is committed. Remembers why reading stopped, however the uploader wraps the exception.
/// </summary>
internal sealed class CappedReadStream(Stream inner, long maxBytes) : Stream
{
    public long BytesRead { get; private set; }

    /// <summary>True once the body went past the limit.</summary>
    public bool TooLarge { get; private set; }

    /// <summary>Why reading the PBX's body failed, when it did (connection lost, timeout).</summary>
    public Exception? ReadFailure { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = inner.Read(buffer);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            ReadFailure = e;
            throw;
        }

        return Count(read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            ReadFailure = e;
            throw;
        }

        return Count(read);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private int Count(int read)
    {
        BytesRead += read;
        if (BytesRead > maxBytes)
        {
            TooLarge = true;
            throw new RecordingRefusedException($"The recording is larger than Recordings__MaxBytes ({maxBytes} bytes); refused while streaming, nothing kept.");
        }

        return read;
    }
}
