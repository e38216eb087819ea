using System.Text;
using Megafon.Core.Calls;
using Megafon.Core.Configuration;
using Megafon.Core.Diagnostics;
using Megafon.Core.Intake;
using Megafon.Core.Processing;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Tests;

public sealed class PhoneMaskTests
{
    [Theory]
    [InlineData("79101234567", "79*******67")]
    [InlineData("+79990001122", "+79*******22")]
    [InlineData("8 (916) 123-45-67", "8 (9**) ***-**-67")]
    [InlineData("703", "***")]
    [InlineData("", "(none)")]
    [InlineData(null, "(none)")]
    public void Masks_all_but_the_edges(string? phone, string expected) => Assert.Equal(expected, PhoneMask.Mask(phone));
}

public sealed class CrmTokenVerifierTests
{
    private static readonly CrmTokenVerifier Verifier = new(Options.Create(new VatsOptions { CrmToken = "6JDctK8K4CyrTJch3eUeLtEwvFDaHeSm" }));

    [Theory]
    [InlineData("6JDctK8K4CyrTJch3eUeLtEwvFDaHeSm", true)]
    [InlineData("6JDctK8K4CyrTJch3eUeLtEwvFDaHeSM", false)]
    [InlineData("6JDctK8K4CyrTJch3eUeLtEwvFDaHeSm ", false)]
    [InlineData("6JDctK8K", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Accepts_only_the_exact_key(string? presented, bool expected) => Assert.Equal(expected, Verifier.IsValid(presented));
}

public sealed class CappedBodyTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(16 * 1024)]
    public async Task Reads_bodies_up_to_the_limit_whatever_their_declared_length(int size)
    {
        var body = Encoding.ASCII.GetBytes(new string('a', size));

        Assert.Equal(body, await CappedBody.ReadAsync(new MemoryStream(body), body.Length, 16 * 1024, CancellationToken.None));
        Assert.Equal(body, await CappedBody.ReadAsync(new MemoryStream(body), null, 16 * 1024, CancellationToken.None));
    }

    [Fact]
    public async Task Refuses_a_body_over_the_limit_even_when_it_does_not_declare_its_length()
    {
        var stream = new CountingStream(new byte[1024 * 1024]);

        Assert.Null(await CappedBody.ReadAsync(stream, null, 16 * 1024, CancellationToken.None));
        Assert.True(stream.BytesRead <= (16 * 1024) + 1, $"read {stream.BytesRead} bytes of an oversized body");
    }

    [Fact]
    public async Task Refuses_a_declared_oversized_body_without_reading_it()
    {
        var stream = new CountingStream(new byte[100]);

        Assert.Null(await CappedBody.ReadAsync(stream, 1024 * 1024, 16 * 1024, CancellationToken.None));
        Assert.Equal(0, stream.BytesRead);
    }

    private sealed class CountingStream(byte[] data) : MemoryStream(data)
    {
        public long BytesRead { get; private set; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await base.ReadAsync(buffer, cancellationToken);
            BytesRead += n;
            return n;
        }
    }
}

public sealed class RecordingLinkPolicyTests
{
    private static readonly RecordingLinkPolicy Policy = new(Options.Create(new VatsOptions
    {
        Endpoint = "https://vats123456.megapbx.ru/sys/crm_api.wcgp",
        RecordingHosts = "records.example.net, cdn.megapbx.ru",
    }));

    [Theory]
    [InlineData("https://vats123456.megapbx.ru/api/records/1.mp3", true)]
    [InlineData("https://VATS123456.megapbx.ru/r.mp3", true)]
    [InlineData("https://records.example.net/x.mp3", true)]
    [InlineData("https://cdn.megapbx.ru/x.mp3", true)]
    [InlineData("http://vats123456.megapbx.ru/r.mp3", false)]
    [InlineData("https://evil.example.com/r.mp3", false)]
    [InlineData("https://vats123456.megapbx.ru.evil.com/r.mp3", false)]
    [InlineData("https://user:pw@vats123456.megapbx.ru/r.mp3", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("not a link", false)]
    [InlineData(null, false)]
    public void Passes_only_https_links_on_known_hosts(string? link, bool accepted) =>
        Assert.Equal(accepted, Policy.Accept(link) is not null);
}

public sealed class RetryScheduleTests
{
    private static readonly ProcessingOptions Options = new() { MaxAttempts = 14, FirstRetryDelay = TimeSpan.FromSeconds(2), MaxRetryDelay = TimeSpan.FromMinutes(10) };

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(10, 512)]
    [InlineData(11, 600)]
    [InlineData(50, 600)]
    public void Doubles_up_to_the_cap(int attempt, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetrySchedule.DelayBefore(attempt, null, Options, jitter: 0.5));

    [Fact]
    public void Jitter_spreads_within_twenty_percent()
    {
        Assert.Equal(TimeSpan.FromSeconds(1.6), RetrySchedule.DelayBefore(2, null, Options, jitter: 0));
        Assert.Equal(TimeSpan.FromSeconds(2.4), RetrySchedule.DelayBefore(2, null, Options, jitter: 1));
    }

    [Fact]
    public void Honours_a_longer_retry_after_but_not_a_shorter_one()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), RetrySchedule.DelayBefore(2, TimeSpan.FromSeconds(30), Options, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(2), RetrySchedule.DelayBefore(2, TimeSpan.FromMilliseconds(1), Options, 0.5));
    }

    [Fact]
    public void Worst_case_delay_before_poison_is_about_an_hour_by_default()
    {
        var worst = RetrySchedule.WorstCaseDelay(Options);

        Assert.InRange(worst, TimeSpan.FromMinutes(50), TimeSpan.FromMinutes(75));
    }
}
