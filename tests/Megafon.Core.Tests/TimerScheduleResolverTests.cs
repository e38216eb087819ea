using Megafon.Core.Reconciliation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Tests;

public sealed class TimerScheduleResolverTests
{
    private static TimerScheduleResolver Resolver(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new ReconcileOptions();
        configuration.GetSection(ReconcileOptions.Section).Bind(options);
        return new TimerScheduleResolver(configuration, Options.Create(options));
    }

    [Fact]
    public void An_unset_schedule_setting_is_its_default()
    {
        Assert.Equal(ReconcileOptions.DefaultSchedule, Resolver([]).Resolve(ReconcileOptions.ScheduleExpression));
    }

    [Fact]
    public void A_set_schedule_setting_wins()
    {
        Assert.Equal("*/30 * * * * *", Resolver(new() { ["Reconcile:Schedule"] = "*/30 * * * * *" }).Resolve(ReconcileOptions.ScheduleExpression));
    }

    [Fact]
    public void Other_settings_resolve_as_the_host_resolves_them_and_fail_the_same_way_when_unset()
    {
        var resolver = Resolver(new() { ["Nightly:Schedule"] = "0 0 3 * * *" });

        Assert.Equal("0 0 3 * * *", resolver.Resolve("%Nightly__Schedule%"));
        Assert.Equal("0 0 1 * * *", resolver.Resolve("0 0 1 * * *"));
        Assert.Contains("'%Missing%' does not resolve to a value", Assert.Throws<InvalidOperationException>(() => resolver.Resolve("%Missing%")).Message, StringComparison.Ordinal);
    }
}
