using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;

namespace Megafon.IntegrationTests.Settings;

/// <summary>
/// A configuration that remembers every key the code asks it for. The binder reads an options
/// class property by property only when its section has children, so every top-level section
/// answers with one more (ignored) child: a class bound to a section nothing sets is read all the same.
/// </summary>
internal sealed class RecordingConfiguration : IConfigurationSource
{
    private const string Probe = "__probe";

    private readonly RecordingProvider _provider;

    public RecordingConfiguration(IReadOnlyDictionary<string, string?> values) => _provider = new RecordingProvider(values);

    /// <summary>Every key asked for since the last <see cref="Take"/>, as the code spelled it ("Vats:Endpoint").</summary>
    public IReadOnlyList<string> Take()
    {
        var keys = new List<string>();
        while (_provider.Reads.TryDequeue(out var key))
        {
            keys.Add(key);
        }

        return keys;
    }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => _provider;

    private sealed class RecordingProvider : ConfigurationProvider
    {
        public RecordingProvider(IReadOnlyDictionary<string, string?> values)
        {
            foreach (var (key, value) in values)
            {
                Data[key] = value;
            }
        }

        public ConcurrentQueue<string> Reads { get; } = new();

        public override bool TryGet(string key, out string? value)
        {
            Reads.Enqueue(key);
            return base.TryGet(key, out value);
        }

        public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath) =>
            parentPath is null || parentPath.Contains(':', StringComparison.Ordinal)
                ? base.GetChildKeys(earlierKeys, parentPath)
                : base.GetChildKeys(earlierKeys, parentPath).Append(Probe);
    }
}
