using System.Globalization;
using System.Text;
using Megafon.Core.Queueing;
using Megafon.Core.Vats.Webhooks;

namespace Megafon.Core.Tests;

/// <summary>
/// A storage queue message holds 64 KiB of text, and the bridge's messages are Base64 (what the
/// queue trigger reads): an accepted webhook must encode into that, whatever its characters.
/// </summary>
public sealed class QueueMessageSizeTests
{
    private const int QueueMessageLimit = 64 * 1024;

    private static int Base64Length(int bytes) => (bytes + 2) / 3 * 4;

    [Theory]
    [InlineData("Ж")]
    [InlineData("<")]
    [InlineData("'\"")]
    public void A_sixteen_kilobyte_webhook_of_cyrillic_or_markup_fits_a_queue_message(string filler)
    {
        const string head = "cmd=event&type=INCOMING&callid=c1&phone=79101234567&groupRealName=";
        var padding = new StringBuilder();
        while (Encoding.UTF8.GetByteCount(head) + Encoding.UTF8.GetByteCount(padding.ToString()) + Encoding.UTF8.GetByteCount(filler) <= 16 * 1024)
        {
            padding.Append(filler);
        }

        var fields = WebhookFixtures.Form(head + padding);
        var body = VatsEventQueues.Body(new VatsQueueMessage(fields.WithoutSecrets(), DateTimeOffset.UnixEpoch));

        Assert.True(Base64Length(body.ToMemory().Length) <= QueueMessageLimit, $"{body.ToMemory().Length} bytes of JSON are {Base64Length(body.ToMemory().Length)} in Base64");
        Assert.Equal(padding.ToString(), VatsEventQueues.Read(body).Fields["groupRealName"]);
    }

    [Theory]
    [InlineData("Ж")]
    [InlineData("<")]
    [InlineData("x")]
    public void The_largest_allowed_webhook_of_text_fits_and_can_still_be_poisoned_with_a_long_reason(string filler)
    {
        // The most fields a webhook may have, each as short as it gets, then text up to the limit.
        var head = new StringBuilder("cmd=event&type=INCOMING&callid=B10D0EB124F4E64AF4EA-1511&phone=79101234567&crm_token=crm-token-0123456789");
        for (var i = 0; head.ToString().Count(c => c == '&') < WebhookBody.MaxFields - 2; i++)
        {
            head.Append(CultureInfo.InvariantCulture, $"&f{i}=");
        }

        head.Append("&groupRealName=");
        var padding = string.Concat(Enumerable.Repeat(filler, (QueueMessageSize.MaxWebhookBytes - Encoding.UTF8.GetByteCount(head.ToString())) / Encoding.UTF8.GetByteCount(filler)));
        var fields = WebhookFixtures.Form(head + padding);
        Assert.Equal(WebhookBody.MaxFields, fields.Count);

        var message = new VatsQueueMessage(fields.WithoutSecrets(), DateTimeOffset.UnixEpoch, Attempt: 100);
        var body = VatsEventQueues.Body(message);
        var poisoned = VatsEventQueues.Body(new PoisonedMessage(message, new string('\u0001', 5000), DateTimeOffset.UnixEpoch, new string('c', 128)));

        Assert.True(QueueMessageSize.FitsWebhook(body), $"{body.ToMemory().Length} bytes");
        Assert.True(Base64Length(poisoned.ToMemory().Length) <= QueueMessageLimit, $"the poisoned message is {Base64Length(poisoned.ToMemory().Length)} bytes in Base64");
    }

    [Fact]
    public void The_limits_add_up_to_the_queues_64_KiB()
    {
        Assert.Equal(QueueMessageLimit, Base64Length(QueueMessageSize.MaxJsonBytes));
        Assert.True(QueueMessageSize.MaxWebhookBytes + QueueMessageSize.MessageEnvelope + QueueMessageSize.PoisonEnvelope <= QueueMessageSize.MaxJsonBytes);
    }
}
