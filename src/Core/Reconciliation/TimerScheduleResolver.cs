using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Megafon.Core.Reconciliation;

/// <summary>
/// Resolves <c>%Setting%</c> in a timer trigger's schedule from the app settings, as the Functions
/// host does, but with the bridge's documented defaults: the host fails to index a function whose
/// <c>%Setting%</c> is unset ("does not resolve to a value"), so the worker hands it the resolved
/// schedule instead, and the DevHost reads it the same way.
/// </summary>
public sealed partial class TimerScheduleResolver(IConfiguration configuration, IOptions<ReconcileOptions> reconcile)
{
    public string Resolve(string schedule) =>
        Expressions().Replace(schedule ?? string.Empty, match => Lookup(match.Groups[1].Value));

    private string Lookup(string name) =>
        name == ReconcileOptions.ScheduleSetting
            ? reconcile.Value.Schedule
            : configuration[name] ?? configuration[name.Replace("__", ":", StringComparison.Ordinal)]
                ?? throw new InvalidOperationException($"'%{name}%' does not resolve to a value: set the app setting {name}.");

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Expressions();
}
