using System.Globalization;
using System.Text.Json.Nodes;
using Megafon.Core.Diagnostics;

namespace Megafon.Simulators;

/// <summary>
/// One message ELMA365 received, as one line a person reads: when it arrived, the call, the event
/// (or "record" for the history), the direction, the PBX member whose card or history it is, the
/// client's number masked as the bridge's logs mask it, and how the call ended.
/// </summary>
public static class Elma365MessageLine
{
    public static string Format(Elma365Arrival arrival)
    {
        ArgumentNullException.ThrowIfNull(arrival);
        var m = arrival.Message;
        var record = m["kind"]?.ToString() == "callRecord";
        var outbound = m["direction"]?.ToString() == "Out";
        var client = (outbound ? m["dstPhone"] : m["srcPhone"])?.ToString();
        var disposition = m["disposition"]?.ToString() is { } d and not "Unknown" ? d : null;
        string[] outcome = record
            ? [disposition ?? "Unknown", $"{m["duration"]} s", m["link"] is null ? "no recording" : "recording"]
            : disposition is null ? [] : [disposition];
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{arrival.ReceivedAt.ToLocalTime():HH:mm:ss.fff}  {m["callId"],-18} {(record ? "record" : m["event"]),-12} {m["direction"],-3} member {Elma365Simulator.MemberOf(m),-6} client {PhoneMask.Mask(client),-13} {string.Join(", ", outcome)}")
            .TrimEnd();
    }

    /// <summary>The call a message belongs to.</summary>
    public static string CallOf(JsonObject message) => message?["callId"]?.ToString() ?? string.Empty;
}
