using System.Text.Json.Nodes;
using Megafon.Core.Reconciliation;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;

namespace Megafon.Functions.Timer;

/// <summary>
/// Hands the host each timer's schedule already resolved. Left as <c>%Reconcile__Schedule%</c>,
/// the host would resolve it from app settings and refuse to index the function when the setting
/// is absent; resolved here, an unset setting means its documented default, as in the DevHost.
/// </summary>
internal sealed class TimerScheduleDefaults(TimerScheduleResolver schedules) : IFunctionMetadataTransformer
{
    public string Name => nameof(TimerScheduleDefaults);

    public void Transform(IList<IFunctionMetadata> original)
    {
        ArgumentNullException.ThrowIfNull(original);
        foreach (var function in original)
        {
            var bindings = function.RawBindings;
            for (var i = 0; bindings is not null && i < bindings.Count; i++)
            {
                if (JsonNode.Parse(bindings[i]) is JsonObject binding
                    && string.Equals((string?)binding["type"], "timerTrigger", StringComparison.OrdinalIgnoreCase)
                    && (string?)binding["schedule"] is { } schedule
                    && schedule.Contains('%', StringComparison.Ordinal))
                {
                    binding["schedule"] = schedules.Resolve(schedule);
                    bindings[i] = binding.ToJsonString();
                }
            }
        }
    }
}
