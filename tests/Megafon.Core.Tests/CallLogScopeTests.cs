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
}
