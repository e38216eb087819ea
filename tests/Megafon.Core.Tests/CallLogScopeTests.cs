using Megafon.Core.Diagnostics;

namespace Megafon.Core.Tests;

public sealed class CallLogScopeTests
{
    [Fact]
    public void Carries_the_call_id_as_one_attribute_for_telemetry()
    {
        var scope = new CallLogScope("3f9a-1c2e");

        var attribute = Assert.Single(scope);
        Assert.Equal(new KeyValuePair<string, object>("CallId", "3f9a-1c2e"), attribute);
        Assert.Equal(attribute, scope[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => scope[1]);
    }

    [Fact]
    public void Reads_as_the_call_id_on_a_console()
    {
        // Console formatters print a scope with ToString; a dictionary printed its type name instead.
        Assert.Equal("CallId:3f9a-1c2e", new CallLogScope("3f9a-1c2e").ToString());
    }

    [Theory]
    [InlineData("c1\nfail: Megafon.Core.Intake.VatsWebhookIntake[0] forged")]
    [InlineData("c1\r\nCallId:forged")]
    [InlineData("c1\0\0\0")]
    [InlineData("c1\u2028forged")]
    [InlineData("c1\u202Edecrof")]
    [InlineData("c1\u001b[31mred")]
    public void A_forged_call_id_can_neither_break_a_log_line_nor_make_it_binary(string callId)
    {
        var scope = new CallLogScope(callId);

        foreach (var text in new[] { scope.ToString(), (string)scope[0].Value })
        {
            Assert.DoesNotContain(text, c => char.IsControl(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.LineSeparator);
            Assert.StartsWith("c1", text.Replace("CallId:", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_overlong_call_id_is_cut_in_the_log()
    {
        var scope = new CallLogScope(new string('a', 10_000));

        Assert.InRange(((string)scope[0].Value).Length, 1, 200);
    }
}
