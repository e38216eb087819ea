using System.Text.RegularExpressions;

namespace Megafon.Infra.Tests;

/// <summary>
/// The KQL files under infra/queries. No Kusto parser is available offline, so these check what
/// can be checked without one: each file explains itself, brackets and strings close, and every
/// metric it reads is one the app actually emits.
/// </summary>
public sealed partial class QueryTests
{
    public static TheoryData<string> Queries() => new("calls-per-hour.kql", "failures-by-reason.kql", "latency-percentiles.kql", "call-journey.kql");

    [Theory]
    [MemberData(nameof(Queries))]
    public void The_query_opens_with_a_comment_and_has_a_body(string file)
    {
        var lines = File.ReadAllLines(QueryPath(file)).Where(l => !string.IsNullOrWhiteSpace(l)).ToList();

        Assert.NotEmpty(lines);
        Assert.StartsWith("//", lines[0].TrimStart(), StringComparison.Ordinal);
        Assert.Contains(lines, l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void Brackets_and_strings_in_the_query_are_balanced(string file)
    {
        var code = CodeOnly(File.ReadAllText(QueryPath(file)));

        var stack = new Stack<char>();
        foreach (var c in code)
        {
            switch (c)
            {
                case '(' or '[' or '{':
                    stack.Push(c);
                    break;
                case ')' or ']' or '}':
                    Assert.True(stack.Count > 0 && stack.Pop() == Opening(c), $"{file}: unbalanced '{c}'.");
                    break;
            }
        }

        Assert.True(stack.Count == 0, $"{file}: {stack.Count} bracket(s) left open.");
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void Every_metric_the_query_reads_is_emitted_by_the_app(string file)
    {
        var source = File.ReadAllText(Path.Combine(Repository.Root, "src", "Core", "Diagnostics", "BridgeMetrics.cs"));
        var code = File.ReadAllText(QueryPath(file));

        foreach (var metric in MetricName().Matches(code).Select(m => m.Groups[1].Value).Distinct())
        {
            Assert.Contains($"\"{metric}\"", source, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_call_journey_is_parameterised_by_a_call_id()
    {
        var code = File.ReadAllText(QueryPath("call-journey.kql"));

        Assert.Matches(@"(?m)^let callId = ""[^""]*"";", code);
        Assert.Contains("customDimensions.CallId", code, StringComparison.Ordinal);
    }

    [Fact]
    public void The_latency_query_gives_p50_p95_and_p99_per_hour()
    {
        var code = CodeOnly(File.ReadAllText(QueryPath("latency-percentiles.kql")));

        Assert.Matches(@"percentiles\([^)]*\b50\b[^)]*\b95\b[^)]*\b99\b", code);
        Assert.Contains("bin(timestamp, 1h)", code, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"""(bridge\.[a-z0-9_.]+)""")]
    private static partial Regex MetricName();

    private static string QueryPath(string file) => Path.Combine(Repository.Infra, "queries", file);

    private static char Opening(char closing) => closing switch { ')' => '(', ']' => '[', _ => '{' };

    /// <summary>The text with // comments and string literals removed (asserting strings close).</summary>
    private static string CodeOnly(string text)
    {
        var result = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }

                result.Append('\n');
            }
            else if (c is '"' or '\'')
            {
                var end = text.IndexOf(c, i + 1);
                var newline = text.IndexOf('\n', i + 1);
                Assert.True(end > i && (newline < 0 || end < newline), $"Unclosed string at offset {i}.");
                i = end;
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }
}
