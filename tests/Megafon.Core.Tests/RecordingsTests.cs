using System.ComponentModel.DataAnnotations;
using System.Net;
using Azure.Storage.Queues;
using Megafon.Core.Calls;
using Megafon.Core.Configuration;
using Megafon.Core.Elma365.Module;
using Megafon.Core.Processing;
using Megafon.Core.Recordings;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Tests;

public sealed class RecordingBlobNameTests
{
    [Fact]
    public void A_recording_is_filed_under_the_UTC_date_of_the_call_start()
    {
        // 02:30 in Moscow on the 1st is still the 30th in UTC.
        var start = new DateTimeOffset(2026, 12, 1, 2, 30, 0, TimeSpan.FromHours(3));

        Assert.Equal("2026/11/30/call-1.mp3", RecordingBlobName.For("call-1", start, "mp3"));
    }

    [Theory]
    [InlineData("B10D0EB124F4E64AF4EA-1511", "B10D0EB124F4E64AF4EA-1511")]
    [InlineData("a_b-C9", "a_b-C9")]
    [InlineData("a/b", "a~2Fb")]
    [InlineData("a.b", "a~2Eb")]
    [InlineData("../x", "~2E~2E~2Fx")]
    [InlineData("x~2F", "x~7E2F")]
    [InlineData("a b#?", "a~20b~23~3F")]
    [InlineData("звонок", "~D0~B7~D0~B2~D0~BE~D0~BD~D0~BE~D0~BA")]
    public void Call_ids_become_blob_safe_names(string callId, string safe) =>
        Assert.Equal(safe, RecordingBlobName.SafeCallId(callId));

    [Fact]
    public void Different_call_ids_never_share_a_name()
    {
        string[] ids = ["a/b", "a~2Fb", "a.b", "a~2Eb", "a-b", "a_b", "A/B", "a b", "a+b", "a%2Fb"];

        var names = ids.Select(RecordingBlobName.SafeCallId).ToList();

        Assert.Equal(ids.Length, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.DoesNotContain('.', n));
        Assert.All(names, n => Assert.DoesNotContain('/', n));
    }

    [Theory]
    [InlineData("https://vats1.megapbx.ru/api/v2/call-records/record/2026-11-24/uuid/file.mp3", "mp3")]
    [InlineData("https://vats1.megapbx.ru/r/FILE.WAV?token=x", "wav")]
    [InlineData("https://vats1.megapbx.ru/r/file.tar.ogg", "ogg")]
    [InlineData("https://vats1.megapbx.ru/r/file", null)]
    [InlineData("https://vats1.megapbx.ru/r/file.", null)]
    [InlineData("https://vats1.megapbx.ru/r/.mp3", null)]
    [InlineData("https://vats1.megapbx.ru/r/file.toolongext", null)]
    [InlineData("https://vats1.megapbx.ru/r/file.m%2Fp3", null)]
    [InlineData("https://vats1.megapbx.ru/", null)]
    public void The_extension_comes_from_the_link_when_it_has_a_plausible_one(string link, string? extension) =>
        Assert.Equal(extension, RecordingBlobName.ExtensionOf(new Uri(link)));

    [Theory]
    [InlineData("audio/mpeg", "mp3")]
    [InlineData("AUDIO/WAV", "wav")]
    [InlineData("audio/x-wav", "wav")]
    [InlineData("audio/ogg", "ogg")]
    [InlineData("application/octet-stream", "bin")]
    [InlineData(null, "bin")]
    public void Without_one_the_media_type_names_it(string? mediaType, string extension) =>
        Assert.Equal(extension, RecordingBlobName.ExtensionFor(mediaType));
}

public sealed class RecordingResponseRulesTests
{
    [Theory]
    [InlineData("audio/mpeg", true)]
    [InlineData("audio/wav", true)]
    [InlineData("Audio/Ogg", true)]
    [InlineData("application/octet-stream", true)]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("text/html", false)]
    [InlineData("application/json", false)]
    [InlineData("text/plain", false)]
    [InlineData("video/mp4", false)]
    [InlineData("audiox/mpeg", false)]
    public void Only_audio_or_unnamed_bytes_are_a_recording(string? mediaType, bool accepted) =>
        Assert.Equal(accepted, RecordingResponseRules.IsRecordingType(mediaType));

    [Theory]
    [InlineData(200, false, true, RecordingVerdict.Archive)]
    [InlineData(401, false, true, RecordingVerdict.RetryWithKey)]
    [InlineData(401, true, true, RecordingVerdict.Refuse)]
    [InlineData(401, false, false, RecordingVerdict.Refuse)]
    [InlineData(403, false, true, RecordingVerdict.Refuse)]
    [InlineData(404, false, true, RecordingVerdict.NotReady)]
    [InlineData(404, true, true, RecordingVerdict.NotReady)]
    [InlineData(410, false, true, RecordingVerdict.Refuse)]
    [InlineData(301, false, true, RecordingVerdict.Redirect)]
    [InlineData(302, false, true, RecordingVerdict.Redirect)]
    [InlineData(307, false, true, RecordingVerdict.Redirect)]
    [InlineData(308, false, true, RecordingVerdict.Redirect)]
    [InlineData(304, false, true, RecordingVerdict.Refuse)]
    [InlineData(408, false, true, RecordingVerdict.Transient)]
    [InlineData(429, false, true, RecordingVerdict.Transient)]
    [InlineData(500, false, true, RecordingVerdict.Transient)]
    [InlineData(503, false, true, RecordingVerdict.Transient)]
    [InlineData(204, false, true, RecordingVerdict.Refuse)]
    [InlineData(206, false, true, RecordingVerdict.Refuse)]
    public void Each_answer_of_the_PBX_has_one_decision(int status, bool keySent, bool fromPbxHost, RecordingVerdict verdict) =>
        Assert.Equal(verdict, RecordingResponseRules.Judge((HttpStatusCode)status, keySent, fromPbxHost));

    [Fact]
    public void Not_ready_recordings_wait_longer_each_time_up_to_the_cap()
    {
        var options = new RecordingsOptions();
        var delays = Enumerable.Range(2, options.MaxAttempts - 1)
            .Select(attempt => RetrySchedule.DelayBefore(attempt, null, options.FirstRetryDelay, options.MaxRetryDelay, jitter: 0.5))
            .ToList();

        Assert.Equal(TimeSpan.FromMinutes(1), delays[0]);
        Assert.All(delays.Zip(delays.Skip(1)), pair => Assert.True(pair.Second >= pair.First));
        Assert.Equal(TimeSpan.FromHours(1), delays[^1]);

        // About four hours of patience with the defaults, well inside the PBX's week.
        var total = delays.Aggregate(TimeSpan.Zero, (sum, d) => sum + d);
        Assert.InRange(total, TimeSpan.FromHours(3), TimeSpan.FromHours(6));
    }

    [Fact]
    public void A_retry_after_longer_than_the_backoff_is_honoured() =>
        Assert.Equal(TimeSpan.FromMinutes(30), RetrySchedule.DelayBefore(2, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), 0.5));
}

public sealed class CappedReadStreamTests
{
    [Theory]
    [InlineData(1000, 1000)]
    [InlineData(999, 1000)]
    [InlineData(0, 1000)]
    public async Task A_body_within_the_limit_reads_whole(int length, long max)
    {
        await using var capped = new CappedReadStream(new MemoryStream(new byte[length]), max);
        using var copy = new MemoryStream();

        await capped.CopyToAsync(copy);

        Assert.Equal(length, copy.Length);
        Assert.Equal(length, capped.BytesRead);
        Assert.False(capped.TooLarge);
    }

    [Fact]
    public async Task One_byte_over_the_limit_is_refused_while_streaming()
    {
        await using var capped = new CappedReadStream(new MemoryStream(new byte[1001]), 1000);

        var error = await Assert.ThrowsAsync<RecordingRefusedException>(() => capped.CopyToAsync(Stream.Null));

        Assert.True(capped.TooLarge);
        Assert.Contains("Recordings__MaxBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_connection_is_remembered_as_a_read_failure()
    {
        await using var capped = new CappedReadStream(new BreakingStream(), 1_000_000);

        await Assert.ThrowsAsync<IOException>(() => capped.CopyToAsync(Stream.Null));

        Assert.IsType<IOException>(capped.ReadFailure);
        Assert.False(capped.TooLarge);
    }

    private sealed class BreakingStream : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<int>(new IOException("The connection was reset."));
    }
}

public sealed class RecordingArchiveTests
{
    private const string Link = "https://vats123456.megapbx.ru/records/c-1.mp3";

    private static readonly Elma365CallRecord Record = new(
        "c-1", "79990001122", "703", Elma365CallDirection.In, 120, Elma365CallDisposition.Answered,
        new DateTimeOffset(2026, 11, 24, 9, 30, 0, TimeSpan.Zero), Link, new Elma365CallData("c-1", Link));

    // Nothing listens on port 1: a message sent would fail the test at once.
    private static readonly QueueServiceClient Nowhere = new(
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;",
        new QueueClientOptions { Retry = { MaxRetries = 0 } });

    private static RecordingArchive Archive(bool on) =>
        new(new RecordingQueues(Nowhere), Options.Create(new RecordingsOptions { Archive = on }), TimeProvider.System);

    [Fact]
    public void With_archiving_on_ELMA365_keeps_no_PBX_link_so_the_module_asks_the_bridge()
    {
        var shaped = Assert.IsType<Elma365CallRecord>(Archive(on: true).ForElma365(Record));

        Assert.Null(shaped.Call.Link);
        Assert.Equal("c-1", shaped.Call.Id);
        Assert.Equal(Link, shaped.Link);
        Assert.Equal(Record with { Call = Record.Call with { Link = null } }, shaped);
    }

    [Fact]
    public void With_archiving_off_the_message_is_untouched() =>
        Assert.Same(Record, Archive(on: false).ForElma365(Record));

    [Fact]
    public async Task Nothing_is_queued_when_off_without_a_link_or_once_archived()
    {
        // Each of these returns before touching the queue (nothing listens on its address).
        var stored = CallState.New with { Link = Link };
        await Archive(on: false).RequestAsync("c-1", stored, Link, CancellationToken.None);
        await Archive(on: true).RequestAsync("c-1", stored, null, CancellationToken.None);
        await Archive(on: true).RequestAsync("c-1", stored with { Link = null }, Link, CancellationToken.None);
        await Archive(on: true).RequestAsync("c-1", stored with { RecordingBlob = "2026/11/24/c-1.mp3" }, Link, CancellationToken.None);

        // The one case that does queue: it reaches for the queue (and fails here, nothing listens).
        await Assert.ThrowsAnyAsync<Exception>(() => Archive(on: true).RequestAsync("c-1", stored, Link, CancellationToken.None));
    }

    [Fact]
    public void A_queue_message_reads_back_as_written_and_garbage_is_refused()
    {
        var message = new RecordingQueueMessage("c/1", Link, new DateTimeOffset(2026, 11, 24, 9, 30, 0, TimeSpan.Zero), DateTimeOffset.UnixEpoch, Attempt: 3);

        Assert.Equal(message, RecordingQueues.Read(RecordingQueues.Body(message)));
        Assert.Throws<System.Text.Json.JsonException>(() => RecordingQueues.Read(BinaryData.FromString("""{"callId":"c-1"}""")));
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => RecordingQueues.Read(BinaryData.FromString("not json")));
    }
}

public sealed class RecordingsSettingsTests
{
    private static List<string> Errors(RecordingsOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? string.Empty)];
    }

    [Fact]
    public void The_defaults_archive_for_a_year_and_hand_out_links_for_an_hour()
    {
        var options = new RecordingsOptions();

        Assert.Empty(Errors(options));
        Assert.True(options.Archive);
        Assert.Equal(365, options.RetentionDays);
        Assert.Equal(TimeSpan.FromHours(1), options.LinkLifetime);
    }

    [Theory]
    [InlineData(nameof(RecordingsOptions.MaxBytes), 10L, "Recordings__MaxBytes")]
    [InlineData(nameof(RecordingsOptions.RetentionDays), 0, "Recordings__RetentionDays")]
    [InlineData(nameof(RecordingsOptions.MaxAttempts), 0, "Recordings__MaxAttempts")]
    public void A_value_out_of_range_is_refused_naming_the_setting(string property, object value, string setting)
    {
        var options = new RecordingsOptions();
        var target = typeof(RecordingsOptions).GetProperty(property)!;
        target.SetValue(options, Convert.ChangeType(value, target.PropertyType, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Contains(setting, Assert.Single(Errors(options)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("8.00:00:00")]
    public void A_link_lifetime_storage_cannot_sign_is_refused(string lifetime)
    {
        var options = new RecordingsOptions { LinkLifetime = TimeSpan.Parse(lifetime, System.Globalization.CultureInfo.InvariantCulture) };

        Assert.Contains("Recordings__LinkLifetime", Assert.Single(Errors(options)), StringComparison.Ordinal);
    }
}

public sealed class RecordingLinkPolicyOriginTests
{
    [Theory]
    [InlineData("http://127.0.0.1:7301/records/c.mp3", true)]
    [InlineData("http://127.0.0.1:7302/records/c.mp3", false)]
    [InlineData("https://127.0.0.1/records/c.mp3", true)]
    [InlineData("http://127.0.0.2:7301/records/c.mp3", false)]
    public void A_PBX_on_plain_http_vouches_for_links_on_its_own_origin_only(string link, bool accepted)
    {
        var policy = new RecordingLinkPolicy(Options.Create(new VatsOptions { Endpoint = "http://127.0.0.1:7301/sys/crm_api.wcgp" }));

        Assert.Equal(accepted, policy.Accept(link) is not null);
    }

    [Theory]
    [InlineData("https://vats123456.megapbx.ru/r.mp3", true)]
    [InlineData("https://records.example.net/r.mp3", false)]
    [InlineData("http://vats123456.megapbx.ru/r.mp3", false)]
    public void The_PBX_key_goes_to_the_PBX_host_only(string link, bool pbxHost)
    {
        var policy = new RecordingLinkPolicy(Options.Create(new VatsOptions { Endpoint = "https://vats123456.megapbx.ru/sys/crm_api.wcgp", RecordingHosts = "records.example.net" }));

        Assert.Equal(pbxHost, policy.IsPbxHost(new Uri(link)));
    }
}
