using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Megafon.Simulators;

/// <summary>
/// The PBX's recording files, at <c>/records/&lt;file&gt;</c> on the simulator's own origin: every
/// file is there and ready unless set otherwise with <see cref="AddRecording"/> (not ready for the
/// first requests, behind the PBX key, another type or size, no Content-Length).
/// </summary>
public sealed partial class VatsSimulator
{
    public const string RecordingsPath = "records";

    private const int ChunkBytes = 64 * 1024;

    private const string SizedFolder = "bytes-";

    private readonly ConcurrentDictionary<string, VatsRecording> _recordings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _recordingRequests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _recordingDownloads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _recordingKeyed = new(StringComparer.Ordinal);

    /// <summary>Size of a file nobody configured: about 6 s of 64 kbit/s MP3.</summary>
    public long DefaultRecordingBytes { get; set; } = 48 * 1024;

    /// <summary>The simulator's origin (<c>http://127.0.0.1:port</c>), for <see cref="VatsScenarios.RecordingLink"/>.</summary>
    public string RecordingOrigin => BaseAddress.GetLeftPart(UriPartial.Authority);

    public Uri RecordingLink(string file) => new(BaseAddress, $"{RecordingsPath}/{file}");

    public void AddRecording(string file, VatsRecording recording) => _recordings[file] = recording;

    /// <summary>
    /// The file as served: configured, else the default for its name; a file under
    /// <c>bytes-N/</c> is N bytes long (the benchmark asks for its sizes that way).
    /// </summary>
    public VatsRecording Recording(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (_recordings.TryGetValue(file, out var recording))
        {
            return recording;
        }

        var length = file.StartsWith(SizedFolder, StringComparison.Ordinal)
            && long.TryParse(file.AsSpan(SizedFolder.Length, Math.Max(0, file.IndexOf('/', StringComparison.Ordinal) - SizedFolder.Length)), System.Globalization.CultureInfo.InvariantCulture, out var sized)
            ? sized
            : DefaultRecordingBytes;
        return new VatsRecording(length) { Seed = VatsRecording.SeedOf(file) };
    }

    /// <summary>Requests for the file, answered or not.</summary>
    public int RecordingRequests(string file) => _recordingRequests.GetValueOrDefault(file);

    /// <summary>Times the file's bytes were sent (200 answers).</summary>
    public int RecordingDownloads(string file) => _recordingDownloads.GetValueOrDefault(file);

    /// <summary>Requests that carried the right PBX key in X-API-KEY.</summary>
    public int RecordingRequestsWithKey(string file) => _recordingKeyed.GetValueOrDefault(file);

    private void MapRecordings(WebApplication app) =>
        app.MapGet(RecordingsPath + "/{**file}", (Func<HttpContext, string, Task>)ServeRecordingAsync);

    private async Task ServeRecordingAsync(HttpContext context, string file)
    {
        var recording = Recording(file);
        var request = _recordingRequests.AddOrUpdate(file, 1, (_, n) => n + 1);
        var keyed = context.Request.Headers["X-API-KEY"].ToString() == _apiKey;
        if (keyed)
        {
            _recordingKeyed.AddOrUpdate(file, 1, (_, n) => n + 1);
        }

        if (request <= recording.NotReadyRequests)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync("Not Found", context.RequestAborted);
            return;
        }

        if (recording.RequiresApiKey && !keyed)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(new { error = "Invalid token" }, context.RequestAborted);
            return;
        }

        _recordingDownloads.AddOrUpdate(file, 1, (_, n) => n + 1);
        context.Response.ContentType = recording.ContentType;
        if (recording.SendLength)
        {
            context.Response.ContentLength = recording.Length;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (long offset = 0; offset < recording.Length; offset += ChunkBytes)
            {
                var count = (int)Math.Min(ChunkBytes, recording.Length - offset);
                recording.Fill(buffer.AsSpan(0, count), offset);
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, count), context.RequestAborted);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>
/// One recording file of the simulated PBX. Its bytes are a function of <see cref="Seed"/> and the
/// offset, made on the fly: a 50 MB file costs the simulator no memory, and a test can compute
/// what the archive must hold.
/// </summary>
public sealed record VatsRecording(long Length, string ContentType = "audio/mpeg")
{
    public int Seed { get; init; }

    /// <summary>The first this many requests answer 404, as the PBX does while it finishes the file.</summary>
    public int NotReadyRequests { get; init; }

    /// <summary>Answer 401 unless the PBX key comes in X-API-KEY.</summary>
    public bool RequiresApiKey { get; init; }

    /// <summary>False: no Content-Length (a chunked body), so only counting while streaming catches an oversized file.</summary>
    public bool SendLength { get; init; } = true;

    public static int SeedOf(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(file)));
    }

    public void Fill(Span<byte> destination, long offset)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            var at = (ulong)(offset + i);
            var x = (at * 0x9E3779B97F4A7C15UL) ^ (ulong)(uint)Seed ^ (at >> 7);
            destination[i] = (byte)(x >> 29);
        }
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        Fill(bytes, 0);
        return bytes;
    }

    /// <summary>SHA-256 of the whole file, computed in chunks.</summary>
    public byte[] Sha256()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[64 * 1024];
        for (long offset = 0; offset < Length; offset += chunk.Length)
        {
            var count = (int)Math.Min(chunk.Length, Length - offset);
            Fill(chunk.AsSpan(0, count), offset);
            hash.AppendData(chunk, 0, count);
        }

        return hash.GetHashAndReset();
    }
}
