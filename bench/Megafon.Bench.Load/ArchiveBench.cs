using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Blobs;
using Megafon.Core.Calls;
using Megafon.Core.DependencyInjection;
using Megafon.Core.Recordings;
using Megafon.Simulators;
using Megafon.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Megafon.Bench.Load;

/// <summary>
/// The recording archiver (Core's <see cref="RecordingArchiver"/>, in this process, as the queue
/// function runs it) against its ceilings in the same run, on the same Azurite: a raw
/// <c>BlobClient.UploadAsync</c> of the same bytes from memory, and the same download streamed
/// into <c>UploadAsync</c> with nothing else. Then the memory one archive takes, for a small file
/// and a large one: streamed, the two must be about the same. The PBX simulator runs in its own
/// process, so its work is not counted here.
/// </summary>
internal static class ArchiveBench
{
    private const string ApiKey = "bench-pbx-key";

    public static async Task<Dictionary<string, object>> RunAsync(int files, long fileBytes, long largeBytes, int rounds, string label)
    {
        var loadBefore = Report.LoadAverage();
        await using var azurite = await Azurite.StartAsync("archive-azurite");
        int vatsPort = FreePorts.Next(), elmaPort = FreePorts.Next();
        var simulatorsDll = Path.Combine(Repo.Root, "src", "Simulators", "bin", "Release", "net10.0", "Megafon.Simulators.dll");
        await using var simulators = ChildProcess.StartDotnet("archive-simulators", simulatorsDll,
            ["serve", "--vats-port", vatsPort.ToString(CultureInfo.InvariantCulture), "--elma-port", elmaPort.ToString(CultureInfo.InvariantCulture), "--vats-api-key", ApiKey, "--elma-token", "bench-elma-key"]);
        await Ports.WaitListeningAsync(vatsPort, TimeSpan.FromSeconds(60), simulators);
        var pbx = new Uri($"http://127.0.0.1:{vatsPort}/");

        await using var provider = Compose(azurite.ConnectionString, pbx, Math.Max(largeBytes, fileBytes) * 2);
        var archiver = provider.GetRequiredService<RecordingArchiver>();
        await provider.GetRequiredService<CallStore>().EnsureCreatedAsync(CancellationToken.None);
        await provider.GetRequiredService<RecordingQueues>().EnsureCreatedAsync(CancellationToken.None);
        await provider.GetRequiredService<RecordingContainer>().EnsureCreatedAsync(CancellationToken.None);
        var container = provider.GetRequiredService<RecordingContainer>().Client;
        using var http = new HttpClient();
        var bytes = new VatsRecording(fileBytes) { Seed = 1 }.ToArray();
        var serial = 0;

        async Task<TimeSpan> ArchiveAsync(int count, long size)
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                var callId = $"bench-{label}-{Interlocked.Increment(ref serial)}";
                var message = new RecordingQueueMessage(callId, new Uri(pbx, $"records/bytes-{size}/{callId}.mp3").AbsoluteUri, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
                var outcome = await archiver.HandleAsync(RecordingQueues.Body(message), 1, CancellationToken.None);
                if (outcome != ArchiveOutcome.Archived)
                {
                    throw new InvalidOperationException($"{callId}: {outcome}, not archived.");
                }
            }

            return Stopwatch.GetElapsedTime(started);
        }

        async Task<TimeSpan> RawUploadAsync(int count)
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                await container.GetBlobClient($"raw/{label}-{Interlocked.Increment(ref serial)}.mp3").UploadAsync(new BinaryData(bytes));
            }

            return Stopwatch.GetElapsedTime(started);
        }

        // The same bytes from memory, but as a stream of unknown length with the archiver's block
        // settings: what not knowing the length up front costs (blocks staged, then a commit).
        async Task<TimeSpan> BlockUploadAsync(int count)
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                await using var unknownLength = new ForwardOnly(new MemoryStream(bytes, writable: false));
                await provider.GetRequiredService<RecordingContainer>().UploadAsync($"blocks/{label}-{Interlocked.Increment(ref serial)}.mp3", unknownLength, "audio/mpeg", CancellationToken.None);
            }

            return Stopwatch.GetElapsedTime(started);
        }

        async Task<TimeSpan> StreamedUploadAsync(int count)
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                var name = $"{label}-{Interlocked.Increment(ref serial)}";
                using var response = await http.GetAsync(new Uri(pbx, $"records/bytes-{fileBytes}/{name}.mp3"), HttpCompletionOption.ResponseHeadersRead);
                await using var body = await response.Content.ReadAsStreamAsync();
                await container.GetBlobClient($"streamed/{name}.mp3").UploadAsync(body);
            }

            return Stopwatch.GetElapsedTime(started);
        }

        // Warm-up: JIT, connections, Azurite's first writes.
        await ArchiveAsync(3, fileBytes);
        await RawUploadAsync(3);
        await StreamedUploadAsync(3);
        await BlockUploadAsync(3);

        var archive = new List<double>();
        var blocks = new List<double>();
        var raw = new List<double>();
        var streamed = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            // Alternate the order so neither side always runs on a warmer (or fuller) Azurite.
            if (round % 2 == 0)
            {
                raw.Add((await RawUploadAsync(files)).TotalSeconds);
                blocks.Add((await BlockUploadAsync(files)).TotalSeconds);
                archive.Add((await ArchiveAsync(files, fileBytes)).TotalSeconds);
                streamed.Add((await StreamedUploadAsync(files)).TotalSeconds);
            }
            else
            {
                streamed.Add((await StreamedUploadAsync(files)).TotalSeconds);
                archive.Add((await ArchiveAsync(files, fileBytes)).TotalSeconds);
                blocks.Add((await BlockUploadAsync(files)).TotalSeconds);
                raw.Add((await RawUploadAsync(files)).TotalSeconds);
            }
        }

        var small = await MeasureMemoryAsync(() => ArchiveAsync(1, fileBytes));
        var large = await MeasureMemoryAsync(() => ArchiveAsync(1, largeBytes));

        double MiBps(double seconds) => files * fileBytes / 1024.0 / 1024.0 / seconds;
        double PerSecond(double seconds) => files / seconds;
        var medianArchive = Median(archive);
        var medianRaw = Median(raw);
        var medianStreamed = Median(streamed);
        var medianBlocks = Median(blocks);
        var result = new Dictionary<string, object>
        {
            ["what"] = "recording archiver vs raw BlobClient.UploadAsync of the same bytes, same Azurite, same run",
            ["machine"] = Report.Machine(),
            ["date_utc"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
            ["load_before"] = loadBefore,
            ["load_after"] = Report.LoadAverage(),
            ["files_per_round"] = files,
            ["file_bytes"] = fileBytes,
            ["rounds"] = rounds,
            ["archive_seconds"] = archive,
            ["raw_upload_seconds"] = raw,
            ["streamed_upload_seconds"] = streamed,
            ["block_upload_seconds"] = blocks,
            ["block_upload_mib_per_s"] = Latencies.Round(MiBps(medianBlocks)),
            ["archive_mib_per_s"] = Latencies.Round(MiBps(medianArchive)),
            ["archive_recordings_per_s"] = Latencies.Round(PerSecond(medianArchive)),
            ["raw_upload_mib_per_s"] = Latencies.Round(MiBps(medianRaw)),
            ["raw_upload_recordings_per_s"] = Latencies.Round(PerSecond(medianRaw)),
            ["streamed_upload_mib_per_s"] = Latencies.Round(MiBps(medianStreamed)),
            ["archive_vs_raw"] = Latencies.Round(medianRaw / medianArchive),
            ["archive_vs_streamed"] = Latencies.Round(medianStreamed / medianArchive),
            ["memory_small"] = small with { Bytes = fileBytes },
            ["memory_large"] = large with { Bytes = largeBytes },
        };

        Console.WriteLine(Report.Table(
            ["", "MiB/s", "recordings/s", "÷ raw upload"],
            [
                ["raw BlobClient.UploadAsync (bytes in memory)", Report.F(MiBps(medianRaw)), Report.F(PerSecond(medianRaw)), "1.00"],
                ["the same bytes as a stream of unknown length, 4 MiB blocks", Report.F(MiBps(medianBlocks)), Report.F(PerSecond(medianBlocks)), Report.F(medianRaw / medianBlocks, 2)],
                ["download streamed into UploadAsync, nothing else", Report.F(MiBps(medianStreamed)), Report.F(PerSecond(medianStreamed)), Report.F(medianRaw / medianStreamed, 2)],
                ["archiver (row check, download, upload in blocks, row update)", Report.F(MiBps(medianArchive)), Report.F(PerSecond(medianArchive)), Report.F(medianRaw / medianArchive, 2)],
            ]));
        Console.WriteLine(Report.Table(
            ["one archive of", "allocated MiB", "peak RSS growth MiB"],
            [
                [$"{fileBytes / 1024.0 / 1024.0:F1} MiB", Report.F(small.AllocatedMiB), Report.F(small.PeakRssGrowthMiB)],
                [$"{largeBytes / 1024.0 / 1024.0:F1} MiB", Report.F(large.AllocatedMiB), Report.F(large.PeakRssGrowthMiB)],
            ]));
        Report.Write($"archive-{label}", result);
        return result;
    }

    internal sealed record Memory(double AllocatedMiB, double PeakRssGrowthMiB, double Seconds)
    {
        public long Bytes { get; init; }
    }

    // Allocations of the whole process during one archive, and its resident set's peak over the
    // level just before, sampled every 5 ms.
    private static async Task<Memory> MeasureMemoryAsync(Func<Task<TimeSpan>> archive)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = RssMiB();
        var peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, RssMiB());
                await Task.Delay(5);
            }
        });
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var elapsed = await archive();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        await stop.CancelAsync();
        await sampler;
        peak = Math.Max(peak, RssMiB());
        return new Memory(Latencies.Round(allocated / 1024.0 / 1024.0), Latencies.Round(peak - baseline), Latencies.Round(elapsed.TotalSeconds));
    }

    /// <summary>A stream that cannot tell its length, as an HTTP body without buffering cannot.</summary>
    private sealed class ForwardOnly(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

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
    }

    private static double RssMiB()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static ServiceProvider Compose(string storage, Uri pbx, long maxBytes)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storage,
            ["Vats:Endpoint"] = new Uri(pbx, VatsSimulator.ApiPath).AbsoluteUri,
            ["Vats:ApiKey"] = ApiKey,
            ["Vats:CrmToken"] = "bench-crm-token-0123456789",
            ["Elma365:WebhookUrl"] = "http://127.0.0.1:1/elma365/webhook",
            ["Elma365:Token"] = "bench-elma-key",
            ["Elma365:ModuleKey"] = "bench-module-key-0123456789",
            ["Recordings:MaxBytes"] = maxBytes.ToString(CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMegafonBridge(configuration);
        return services.BuildServiceProvider();
    }
}
