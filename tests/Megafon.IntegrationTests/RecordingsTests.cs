using System.Net;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Megafon.Core.Calls;
using Megafon.Core.Recordings;
using Megafon.IntegrationTests.Infrastructure;
using Megafon.Simulators;

namespace Megafon.IntegrationTests;

/// <summary>The bridge with quick archive retries, a 1 MiB cap and 4-second links, so each case runs in seconds.</summary>
public class RecordingsFixture : BridgeFixture
{
    public const long MaxBytes = 1024 * 1024;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Recordings:FirstRetryDelay", "00:00:00.300"),
        new("Recordings:MaxRetryDelay", "00:00:01"),
        new("Recordings:MaxAttempts", "4"),
        new("Recordings:MaxBytes", MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Recordings:LinkLifetime", "00:00:04"),
    ];
}

public sealed class FunctionsHostRecordingsFixture : RecordingsFixture
{
    public override BridgeHostKind HostKind => BridgeHostKind.FunctionsHost;
}

/// <summary>
/// Recordings archived from the PBX simulator into Azurite blob storage by the queue-triggered
/// ArchiveRecording and served by GetCallLink, observed only over HTTP, the storage clients and
/// the simulators, on both hosts.
/// </summary>
public abstract class RecordingsTests(RecordingsFixture bridge)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    // VatsScenarios date every call 2026-11-24 09:30 UTC.
    private const string Day = "2026/11/24";

    private BlobContainerClient Container => new(bridge.Azurite.ConnectionString, RecordingContainer.Name);

    private QueueClient Queue(string name) => new(bridge.Azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    private string Link(string callId) => VatsScenarios.RecordingLink(bridge.Vats.RecordingOrigin, callId);

    private Task SendHistoryAsync(string callId) =>
        bridge.SendAllAsync([VatsScenarios.History(callId, "in", "Success", "79101234567", "alexey", "703", 30, 1, Link(callId))]);

    private async Task<TableEntity> WaitForArchiveAsync(string callId)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var row = await bridge.Calls.GetEntityIfExistsAsync<TableEntity>(callId, CallEntity.Row);
            if (row.HasValue && row.Value!.GetString(nameof(CallEntity.RecordingBlob)) is not null)
            {
                return row.Value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{callId} was not archived within {Patience}; poison: {string.Join(" | ", (await PoisonedAsync()).Select(p => p.Reason))}");
            await Task.Delay(100);
        }
    }

    private async Task<List<PoisonedRecording>> PoisonedAsync() =>
        [.. (await Queue(RecordingQueues.PoisonName).PeekMessagesAsync(32)).Value.Select(m => RecordingQueues.ReadPoisoned(m.Body))];

    private async Task<PoisonedRecording> WaitForPoisonAsync(string callId)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if ((await PoisonedAsync()).FirstOrDefault(p => p.Message.CallId == callId) is { } poisoned)
            {
                return poisoned;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{callId} was not poisoned within {Patience}");
            await Task.Delay(100);
        }
    }

    private async Task<List<string>> BlobsOfAsync(string callId)
    {
        var names = new List<string>();
        await foreach (var blob in Container.GetBlobsAsync(prefix: $"{Day}/{callId}."))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> GetCallLinkAsync(string callId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(bridge.BaseAddress, $"api/calls/{callId}/link"));
        request.Headers.Add("x-functions-key", BridgeFixture.FunctionKey);
        using var response = await bridge.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task WaitUntilDrainedAsync()
    {
        var deadline = DateTime.UtcNow + Patience;
        while ((await Queue(RecordingQueues.Name).GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the recordings queue did not drain");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_played_call_ends_with_its_recording_archived_byte_for_byte_and_ELMA365_keeping_no_PBX_link()
    {
        await bridge.SendAllAsync(VatsScenarios.IncomingAnswered("r-in", "79161234567", "alexey", "703", bridge.Vats.RecordingOrigin));

        var row = await WaitForArchiveAsync("r-in");

        Assert.Equal($"{Day}/r-in.mp3", row.GetString(nameof(CallEntity.RecordingBlob)));
        Assert.NotNull(row.GetDateTimeOffset(nameof(CallEntity.RecordingArchivedAt)));
        var blob = Container.GetBlobClient($"{Day}/r-in.mp3");
        var archived = (await blob.DownloadContentAsync()).Value;
        Assert.Equal(bridge.Vats.Recording("r-in.mp3").ToArray(), archived.Content.ToArray());
        Assert.Equal("audio/mpeg", archived.Details.ContentType);
        Assert.Equal(1, bridge.Vats.RecordingDownloads("r-in.mp3"));

        var record = (await bridge.Elma365.WaitForAsync(r => r.Any(m => m["callId"]!.GetValue<string>() == "r-in" && m["kind"]!.GetValue<string>() == "callRecord"), Patience))
            .Single(m => m["callId"]!.GetValue<string>() == "r-in" && m["kind"]!.GetValue<string>() == "callRecord");
        Assert.False(record["call"]!.AsObject().ContainsKey("link"), "ELMA365 must not keep the PBX's link, which dies in a week: " + record.ToJsonString());
        Assert.Equal(Link("r-in"), record["link"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetCallLink_answers_a_read_only_link_to_the_archive_that_works_and_then_expires()
    {
        await SendHistoryAsync("r-link");
        await WaitForArchiveAsync("r-link");

        var (status, body) = await GetCallLinkAsync("r-link");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("archive", body!["source"]!.GetValue<string>());
        var link = new Uri(body["link"]!.GetValue<string>());
        var expiresAt = DateTimeOffset.Parse(body["expiresAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Container.Uri.Authority, link.Authority);
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.FromSeconds(5));

        Assert.Equal(bridge.Vats.Recording("r-link.mp3").ToArray(), await bridge.Http.GetByteArrayAsync(link));
        var write = await Assert.ThrowsAsync<RequestFailedException>(() => new BlobClient(link).UploadAsync(BinaryData.FromString("overwritten"), overwrite: true));
        Assert.Equal(403, write.Status);

        await Task.Delay(expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2));
        using var expired = await bridge.Http.GetAsync(link);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);

        // A fresh link works again: the module asks each time.
        var again = await GetCallLinkAsync("r-link");
        Assert.Equal(HttpStatusCode.OK, (await bridge.Http.GetAsync(new Uri(again.Body!["link"]!.GetValue<string>()))).StatusCode);
    }

    [Fact]
    public async Task A_recording_the_PBX_has_not_finished_is_retried_until_it_is_ready()
    {
        bridge.Vats.AddRecording("r-late.mp3", new VatsRecording(100_000) { Seed = 7, NotReadyRequests = 2 });

        await SendHistoryAsync("r-late");
        await WaitForArchiveAsync("r-late");

        Assert.Equal(3, bridge.Vats.RecordingRequests("r-late.mp3"));
        Assert.Equal(1, bridge.Vats.RecordingDownloads("r-late.mp3"));
        Assert.Equal(new VatsRecording(100_000) { Seed = 7 }.ToArray(), (await Container.GetBlobClient($"{Day}/r-late.mp3").DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public async Task A_recording_never_ready_is_poisoned_after_the_last_attempt_and_the_PBX_link_is_served_meanwhile()
    {
        bridge.Vats.AddRecording("r-never.mp3", new VatsRecording(1000) { NotReadyRequests = int.MaxValue });

        await SendHistoryAsync("r-never");
        await bridge.Elma365.WaitForAsync(r => r.Any(m => m["callId"]!.GetValue<string>() == "r-never"), Patience);
        var (status, body) = await GetCallLinkAsync("r-never");
        Assert.Equal((HttpStatusCode.OK, Link("r-never")), (status, body!["link"]!.GetValue<string>()));
        Assert.Null(body["source"]);

        var poisoned = await WaitForPoisonAsync("r-never");

        Assert.Equal(4, poisoned.Message.Attempt);
        Assert.Contains("after 4 attempts", poisoned.Reason, StringComparison.Ordinal);
        Assert.Contains("404", poisoned.Reason, StringComparison.Ordinal);
        Assert.Equal(4, bridge.Vats.RecordingRequests("r-never.mp3"));
        Assert.Empty(await BlobsOfAsync("r-never"));
    }

    [Theory]
    [InlineData("r-big", true, "not downloaded")]
    [InlineData("r-big-chunked", false, "refused after")]
    public async Task An_oversized_recording_is_refused_to_poison_with_the_reason_and_nothing_is_kept(string callId, bool sendLength, string how)
    {
        bridge.Vats.AddRecording($"{callId}.mp3", new VatsRecording(RecordingsFixture.MaxBytes + (512 * 1024)) { SendLength = sendLength });

        await SendHistoryAsync(callId);
        var poisoned = await WaitForPoisonAsync(callId);

        Assert.Contains("Recordings__MaxBytes", poisoned.Reason, StringComparison.Ordinal);
        Assert.Contains(how, poisoned.Reason, StringComparison.Ordinal);
        Assert.Equal(1, poisoned.Message.Attempt);
        Assert.Empty(await BlobsOfAsync(callId));
        var row = (await bridge.Calls.GetEntityAsync<TableEntity>(callId, CallEntity.Row)).Value;
        Assert.Null(row.GetString(nameof(CallEntity.RecordingBlob)));
    }

    [Fact]
    public async Task A_page_that_is_not_audio_is_refused_to_poison()
    {
        bridge.Vats.AddRecording("r-html.mp3", new VatsRecording(600, "text/html"));

        await SendHistoryAsync("r-html");
        var poisoned = await WaitForPoisonAsync("r-html");

        Assert.Contains("text/html", poisoned.Reason, StringComparison.Ordinal);
        Assert.Empty(await BlobsOfAsync("r-html"));
    }

    [Fact]
    public async Task A_PBX_that_answers_401_gets_its_key_in_X_API_KEY_and_nothing_more()
    {
        bridge.Vats.AddRecording("r-key.mp3", new VatsRecording(20_000) { RequiresApiKey = true });

        await SendHistoryAsync("r-key");
        await WaitForArchiveAsync("r-key");

        Assert.Equal(2, bridge.Vats.RecordingRequests("r-key.mp3"));
        Assert.Equal(1, bridge.Vats.RecordingRequestsWithKey("r-key.mp3"));
        Assert.Equal(1, bridge.Vats.RecordingDownloads("r-key.mp3"));
    }

    [Fact]
    public async Task A_second_request_for_an_archived_call_downloads_nothing_even_when_the_row_forgot_the_blob()
    {
        await SendHistoryAsync("r-dup");
        await WaitForArchiveAsync("r-dup");
        var request = RecordingQueues.Body(new RecordingQueueMessage("r-dup", Link("r-dup"), new DateTimeOffset(2026, 11, 24, 9, 30, 0, TimeSpan.Zero), DateTimeOffset.UtcNow));

        // The PBX repeats the history, and a stray request arrives.
        await SendHistoryAsync("r-dup");
        await Queue(RecordingQueues.Name).SendMessageAsync(request);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await WaitUntilDrainedAsync();
        Assert.Equal(1, bridge.Vats.RecordingDownloads("r-dup.mp3"));

        // A crash between the upload and the row's update: the blob is there, the row does not say so.
        var row = (await bridge.Calls.GetEntityAsync<TableEntity>("r-dup", CallEntity.Row)).Value;
        row[nameof(CallEntity.RecordingBlob)] = null;
        await bridge.Calls.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
        await Queue(RecordingQueues.Name).SendMessageAsync(request);

        Assert.Equal($"{Day}/r-dup.mp3", (await WaitForArchiveAsync("r-dup")).GetString(nameof(CallEntity.RecordingBlob)));
        Assert.Equal(1, bridge.Vats.RecordingDownloads("r-dup.mp3"));
        Assert.DoesNotContain(await PoisonedAsync(), p => p.Message.CallId == "r-dup");
    }

    [Fact]
    public async Task A_link_the_PBX_sends_later_is_archived_when_it_arrives()
    {
        await bridge.SendAllAsync([VatsScenarios.History("r-later", "in", "Success", "79101234567", "alexey", "703", 30, 1, link: null)]);
        await bridge.Elma365.WaitForAsync(r => r.Any(m => m["callId"]!.GetValue<string>() == "r-later"), Patience);
        Assert.Equal(HttpStatusCode.Accepted, (await GetCallLinkAsync("r-later")).Status);

        await SendHistoryAsync("r-later");
        await WaitForArchiveAsync("r-later");

        Assert.Equal("archive", (await GetCallLinkAsync("r-later")).Body!["source"]!.GetValue<string>());
        Assert.Single(bridge.Elma365.Received, m => m["callId"]!.GetValue<string>() == "r-later");
    }
}

public sealed class RecordingsTestsOnDevHost(RecordingsFixture bridge) : RecordingsTests(bridge), IClassFixture<RecordingsFixture>;

public sealed class RecordingsTestsOnFunctionsHost(FunctionsHostRecordingsFixture bridge) : RecordingsTests(bridge), IClassFixture<FunctionsHostRecordingsFixture>;

/// <summary>The bridge with <c>Recordings__Archive=false</c>.</summary>
public class ArchivingOffFixture : BridgeFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Recordings:Archive", "false")];
}

public sealed class FunctionsHostArchivingOffFixture : ArchivingOffFixture
{
    public override BridgeHostKind HostKind => BridgeHostKind.FunctionsHost;
}

/// <summary>Archiving off is the bridge as it was: the PBX's link everywhere, nothing downloaded or stored; on both hosts.</summary>
public abstract class ArchivingOffTests(ArchivingOffFixture bridge)
{
    [Fact]
    public async Task With_archiving_off_ELMA365_keeps_the_PBX_link_and_nothing_is_downloaded_or_stored()
    {
        var link = VatsScenarios.RecordingLink(bridge.Vats.RecordingOrigin, "off-in");
        await bridge.SendAllAsync(VatsScenarios.IncomingAnswered("off-in", "79161234567", "alexey", "703", bridge.Vats.RecordingOrigin));

        var record = (await bridge.Elma365.WaitForAsync(r => r.Any(m => m["callId"]!.GetValue<string>() == "off-in" && m["kind"]!.GetValue<string>() == "callRecord"), TimeSpan.FromSeconds(20)))
            .Single(m => m["callId"]!.GetValue<string>() == "off-in" && m["kind"]!.GetValue<string>() == "callRecord");
        Assert.Equal(link, record["call"]!["link"]!.GetValue<string>());
        Assert.Equal(link, record["link"]!.GetValue<string>());

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(bridge.BaseAddress, "api/calls/off-in/link"));
        request.Headers.Add("x-functions-key", BridgeFixture.FunctionKey);
        using var response = await bridge.Http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["callId", "link"], body.Select(p => p.Key));
        Assert.Equal(link, body["link"]!.GetValue<string>());

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(0, bridge.Vats.RecordingRequests("off-in.mp3"));
        Assert.False(await new BlobContainerClient(bridge.Azurite.ConnectionString, RecordingContainer.Name).ExistsAsync());
        Assert.False(await new QueueClient(bridge.Azurite.ConnectionString, RecordingQueues.Name).ExistsAsync());
        var row = (await bridge.Calls.GetEntityAsync<TableEntity>("off-in", CallEntity.Row)).Value;
        Assert.Null(row.GetString(nameof(CallEntity.RecordingBlob)));
    }
}

public sealed class ArchivingOffTestsOnDevHost(ArchivingOffFixture bridge) : ArchivingOffTests(bridge), IClassFixture<ArchivingOffFixture>;

public sealed class ArchivingOffTestsOnFunctionsHost(FunctionsHostArchivingOffFixture bridge) : ArchivingOffTests(bridge), IClassFixture<FunctionsHostArchivingOffFixture>;
