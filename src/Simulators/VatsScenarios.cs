namespace Megafon.Simulators;

/// <summary>One webhook as the PBX would post it, without the crm_token (the sender adds it).</summary>
public sealed record VatsWebhook(IReadOnlyDictionary<string, string> Fields)
{
    public string CallId => Fields.GetValueOrDefault("callid", string.Empty);

    public string Describe() => $"{Fields.GetValueOrDefault("cmd")} {Fields.GetValueOrDefault("type")} {Fields.GetValueOrDefault("status")} {Fields.GetValueOrDefault("user")}".Trim();
}

/// <summary>
/// Whole calls as sequences of webhooks, including the live quirks: per-leg CANCELLED of a
/// group call, a missed call's history naming <c>user=pbx</c>, transfers under a second call id.
/// </summary>
public static class VatsScenarios
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 30, 0, TimeSpan.Zero);

    /// <summary>
    /// A call's recording link: <c>https://host/records/&lt;callid&gt;.mp3</c>, or on an origin when one is
    /// given (<c>http://127.0.0.1:port</c>, the PBX simulator's own, which serves the file).
    /// </summary>
    public static string RecordingLink(string recordingHost, string callId)
    {
        ArgumentNullException.ThrowIfNull(recordingHost);
        return recordingHost.Contains("://", StringComparison.Ordinal)
            ? $"{recordingHost.TrimEnd('/')}/{VatsSimulator.RecordingsPath}/{callId}.mp3"
            : $"https://{recordingHost}/{VatsSimulator.RecordingsPath}/{callId}.mp3";
    }

    public static IReadOnlyList<VatsWebhook> IncomingAnswered(string callId, string phone, string user, string ext, string recordingHost) =>
    [
        Contact(callId, phone),
        Event("INCOMING", callId, phone, user, ext),
        Event("ACCEPTED", callId, phone, user, ext),
        Event("COMPLETED", callId, phone, user, ext),
        History(callId, "in", "Success", phone, user, ext, duration: 95, wait: 7, link: RecordingLink(recordingHost, callId)),
    ];

    public static IReadOnlyList<VatsWebhook> IncomingMissedViaGroup(string callId, string phone, IReadOnlyList<(string User, string Ext)> members) =>
    [
        .. members.Select(m => Event("INCOMING", callId, phone, m.User, m.Ext, group: "Отдел продаж")),
        .. members.Select(m => Event("CANCELLED", callId, phone, m.User, m.Ext, group: "Отдел продаж")),
        History(callId, "in", "missed", phone, "pbx", null, duration: 0, wait: 25, link: null),
    ];

    public static IReadOnlyList<VatsWebhook> IncomingAnsweredViaGroup(string callId, string phone, (string User, string Ext) answers, IReadOnlyList<(string User, string Ext)> others, string recordingHost) =>
    [
        Event("INCOMING", callId, phone, answers.User, answers.Ext, group: "Отдел продаж"),
        .. others.Select(m => Event("INCOMING", callId, phone, m.User, m.Ext, group: "Отдел продаж")),
        Event("ACCEPTED", callId, phone, answers.User, answers.Ext),
        .. others.Select(m => Event("CANCELLED", callId, phone, m.User, m.Ext, group: "Отдел продаж")),
        Event("COMPLETED", callId, phone, answers.User, answers.Ext),
        History(callId, "in", "Success", phone, answers.User, answers.Ext, duration: 61, wait: 4, link: RecordingLink(recordingHost, callId)),
    ];

    public static IReadOnlyList<VatsWebhook> Outgoing(string callId, string phone, string user, string ext, string recordingHost) =>
    [
        Event("OUTGOING", callId, phone, user, ext),
        Event("ACCEPTED", callId, phone, user, ext),
        Event("COMPLETED", callId, phone, user, ext),
        History(callId, "out", "Success", phone, user, ext, duration: 42, wait: 3, link: RecordingLink(recordingHost, callId)),
    ];

    public static IReadOnlyList<VatsWebhook> Transferred(string callId, string secondCallId, string phone, (string User, string Ext) from, (string User, string Ext) to, string recordingHost) =>
    [
        Event("INCOMING", callId, phone, from.User, from.Ext),
        Event("ACCEPTED", callId, phone, from.User, from.Ext),
        Event("TRANSFERRED", callId, phone, from.User, from.Ext, extra: new() { ["second_callid"] = secondCallId, ["direction"] = "in" }),
        Event("INCOMING", secondCallId, phone, to.User, to.Ext),
        Event("ACCEPTED", secondCallId, phone, to.User, to.Ext),
        Event("COMPLETED", secondCallId, phone, to.User, to.Ext),
        History(callId, "in", "Success", phone, from.User, from.Ext, duration: 30, wait: 2, link: RecordingLink(recordingHost, callId)),
        History(secondCallId, "in", "Success", phone, to.User, to.Ext, duration: 120, wait: 1, link: RecordingLink(recordingHost, secondCallId)),
    ];

    public static VatsWebhook Contact(string callId, string phone) =>
        new(new Dictionary<string, string> { ["cmd"] = "contact", ["phone"] = phone, ["callid"] = callId, ["diversion"] = "74950000001" });

    public static VatsWebhook Event(string type, string callId, string phone, string user, string? ext, string? group = null, Dictionary<string, string>? extra = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["cmd"] = "event", ["type"] = type, ["phone"] = phone, ["callid"] = callId, ["user"] = user,
            ["telnum"] = "74950000001", ["diversion"] = "74950000001",
        };
        if (ext is not null) fields["ext"] = ext;
        if (group is not null) fields["groupRealName"] = group;
        foreach (var (key, value) in extra ?? []) fields[key] = value;
        return new VatsWebhook(fields);
    }

    public static VatsWebhook History(string callId, string direction, string status, string phone, string user, string? ext, int duration, int wait, string? link)
    {
        var fields = new Dictionary<string, string>
        {
            ["cmd"] = "history", ["type"] = direction, ["status"] = status, ["phone"] = phone, ["callid"] = callId,
            ["user"] = user, ["diversion"] = "74950000001", ["start"] = Start.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["duration"] = duration.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["wait"] = wait.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (ext is not null) fields["ext"] = ext;
        if (link is not null) fields["link"] = link;
        return new VatsWebhook(fields);
    }
}
