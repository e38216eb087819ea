using Megafon.Core.Reconciliation;
using Megafon.Core.Vats.Api;
using Megafon.Core.Vats.Webhooks;

namespace Megafon.Core.Tests;

public sealed class HistoryExportWebhookTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 30, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string> Extensions = new() { ["alexey"] = "703" };

    private static VatsCallHistory Parse(VatsHistoryCall call)
    {
        var fields = HistoryExportWebhook.Fields(call, Extensions);
        Assert.NotNull(fields);
        Assert.True(VatsWebhookParser.TryParse(new WebhookFields(fields), out var command, out var error), error?.Message);
        return Assert.IsType<VatsCallHistory>(command);
    }

    [Fact]
    public void An_answered_inbound_call_becomes_the_history_webhook_with_the_members_extension()
    {
        var history = Parse(new VatsHistoryCall("c-1", "in", "79161234567", "alexey@vats1.megapbx.ru", "74950000001", Start, 7, 95, "https://vats1.megapbx.ru/r.mp3"));

        Assert.Equal(("c-1", VatsCallDirection.In, VatsCallStatus.Success, "79161234567", "alexey", "703"), (history.CallId, history.Direction, history.Status, history.Phone, history.User, history.Ext));
        Assert.Equal((Start, 95, (int?)7, "https://vats1.megapbx.ru/r.mp3", "74950000001"), (history.Start, history.DurationSeconds, history.WaitSeconds, history.Link, history.Diversion));
    }

    [Fact]
    public void A_missed_call_is_an_inbound_call_with_status_missed_and_no_member()
    {
        var history = Parse(new VatsHistoryCall("c-2", "missed", "79261234567", null, "74950000001", Start, 25, 0, null));

        Assert.Equal((VatsCallDirection.In, VatsCallStatus.Missed, "missed", (string?)null, (string?)null), (history.Direction, history.Status, history.RawStatus, history.User, history.Ext));
    }

    [Theory]
    [InlineData("out", 42, VatsCallDirection.Out, VatsCallStatus.Success)]
    [InlineData("out", 0, VatsCallDirection.Out, VatsCallStatus.NotAvailable)]
    [InlineData("in", 0, VatsCallDirection.In, VatsCallStatus.Missed)]
    public void Talk_time_tells_answered_from_not(string type, int duration, VatsCallDirection direction, VatsCallStatus status)
    {
        var history = Parse(new VatsHistoryCall("c-3", type, "79031234567", "maria@x", null, Start, 3, duration, null));

        Assert.Equal((direction, status), (history.Direction, history.Status));
        Assert.Equal("maria", history.User);
        Assert.Null(history.Ext);
    }

    [Theory]
    [InlineData("alexey@vats1.megapbx.ru", "alexey")]
    [InlineData("alexey", "alexey")]
    [InlineData("g_6d1f@vats1.megapbx.ru", "g_6d1f@vats1.megapbx.ru")]
    [InlineData("  ", null)]
    public void The_login_is_the_account_without_its_domain_but_a_group_stays_whole(string account, string? login)
    {
        Assert.Equal(login, HistoryExportWebhook.Login(account));
    }

    [Fact]
    public void A_type_a_history_webhook_never_has_is_not_turned_into_one()
    {
        Assert.Null(HistoryExportWebhook.Fields(new VatsHistoryCall("c-4", "internal", "703", null, null, Start, 0, 10, null), null));
    }

    [Fact]
    public void The_fields_say_they_came_from_the_export()
    {
        var fields = HistoryExportWebhook.Fields(new VatsHistoryCall("c-5", "in", "7916", null, null, Start, 0, 10, null), null)!;

        Assert.Equal(HistoryExportWebhook.Source, fields[HistoryExportWebhook.SourceField]);
        Assert.Equal("20261124T093000Z", fields["start"]);
    }
}
