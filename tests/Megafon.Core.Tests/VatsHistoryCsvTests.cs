using Megafon.Core.Vats.Api;

namespace Megafon.Core.Tests;

public sealed class VatsHistoryCsvTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void A_line_without_header_is_read_in_the_documented_column_order()
    {
        var history = VatsHistoryCsv.Read("c-1,in,79161234567,alexey@vats1.megapbx.ru,74950000001,20261124T093000Z,7,95,https://vats1.megapbx.ru/r/c-1.mp3\n");

        var call = Assert.Single(history.Calls);
        Assert.Equal(new VatsHistoryCall("c-1", "in", "79161234567", "alexey@vats1.megapbx.ru", "74950000001", Start, 7, 95, "https://vats1.megapbx.ru/r/c-1.mp3"), call);
        Assert.Equal(Start.AddSeconds(102), call.End);
        Assert.Empty(history.UnreadableLines);
    }

    [Fact]
    public void A_header_line_names_the_columns_whatever_their_order_and_extra_ones_are_ignored()
    {
        var history = VatsHistoryCsv.Read("start,UID,Type,rating,duration,client,record,wait,account,via\r\n2026-11-24T09:30:00Z,c-2,OUT,5,42,79031234567,,3,maria@x,74950000001\r\n");

        var call = Assert.Single(history.Calls);
        Assert.Equal(("c-2", "out", "79031234567", "maria@x", Start, 3, 42), (call.CallId, call.Type, call.Client, call.Account, call.Start, call.WaitSeconds, call.DurationSeconds));
        Assert.Null(call.Record);
    }

    [Fact]
    public void Extra_columns_after_the_documented_ones_are_ignored()
    {
        var call = Assert.Single(VatsHistoryCsv.Read("c-3,missed,79261234567,,74950000001,20261124T093000Z,25,0,,5,something new\n").Calls);

        Assert.Equal(("missed", 25, 0), (call.Type, call.WaitSeconds, call.DurationSeconds));
        Assert.Null(call.Account);
    }

    [Fact]
    public void Quoted_values_are_unquoted_commas_and_doubled_quotes_included()
    {
        var call = Assert.Single(VatsHistoryCsv.Read("\"c-4\",\"in\",\"+7 (916) 123-45-67\",\"Иванов, \"\"Отдел\"\"\",74950000001,20261124T093000Z,1,2,\"https://h/r.mp3?a=1,2\"\n").Calls);

        Assert.Equal("+7 (916) 123-45-67", call.Client);
        Assert.Equal("Иванов, \"Отдел\"", call.Account);
        Assert.Equal("https://h/r.mp3?a=1,2", call.Record);
    }

    [Fact]
    public void A_byte_order_mark_blank_lines_and_an_empty_duration_are_tolerated()
    {
        var history = VatsHistoryCsv.Read("\uFEFFc-5,missed,79261234567,,,20261124T093000Z,,,\n\n\nc-6,in,79261234568,,,20261124T093000Z,0,10,\n");

        Assert.Equal(["c-5", "c-6"], history.Calls.Select(c => c.CallId));
        Assert.Equal(0, history.Calls[0].DurationSeconds);
    }

    [Fact]
    public void Lines_that_are_not_calls_are_reported_by_number_and_the_others_kept()
    {
        var history = VatsHistoryCsv.Read("c-7,in,7916,,,20261124T093000Z,1,2,\nc-8,in,7916,,,yesterday,1,2,\nc-9,in,7916,,,20261124T093000Z,1,two,\n,in,7916,,,20261124T093000Z,1,2,\nc-10,out,7916,,,20261124T093000Z,1,2,\n");

        Assert.Equal(["c-7", "c-10"], history.Calls.Select(c => c.CallId));
        Assert.Equal([2, 3, 4], history.UnreadableLines);
    }

    [Fact]
    public void A_header_without_the_columns_a_call_needs_is_not_the_export()
    {
        var error = Assert.Throws<FormatException>(() => VatsHistoryCsv.Read("uid,start,name\nc-1,20261124T093000Z,x\n"));

        Assert.Contains("type", error.Message, StringComparison.Ordinal);
        Assert.Contains("duration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_export_is_an_empty_history()
    {
        var history = VatsHistoryCsv.Read(string.Empty);

        Assert.Empty(history.Calls);
        Assert.Empty(history.UnreadableLines);
    }
}
