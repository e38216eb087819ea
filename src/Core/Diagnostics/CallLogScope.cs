using System.Collections;

namespace Megafon.Core.Diagnostics;

/// <summary>
/// The log scope of one call: a <c>CallId</c> attribute for telemetry, and readable text for a
/// console formatter, which prints a scope with ToString (a dictionary would print its type name).
/// The call id comes from outside: it is made safe to log (<see cref="LogText"/>) first.
/// </summary>
internal sealed class CallLogScope(string unsafeCallId) : IReadOnlyList<KeyValuePair<string, object>>
{
    public const string Key = "CallId";

    private readonly string _callId = LogText.Safe(unsafeCallId);

    public int Count => 1;

    public KeyValuePair<string, object> this[int index] =>
        index == 0 ? new(Key, _callId) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{Key}:{_callId}";
}
