using System.Text.Json;
using Megafon.Core.Contacts;

namespace Megafon.Core.Tests;

public sealed class ContactItemTests
{
    private static ContactItem Read(string json, string name = "__name") =>
        ContactItem.Read(JsonDocument.Parse(json).RootElement, name, "_phone", "_responsible");

    [Fact]
    public void Reads_an_item_in_the_documented_shape()
    {
        var item = Read("""
            {"__id":"c-1","__name":"Ирина Петрова","__createdAt":"2024-03-01T10:00:00Z",
             "_phone":[{"type":"work","tel":"+7 (916) 123-45-67"},{"type":"mobile","tel":"84950000002","ext":"12"}],
             "_responsible":["u-1","u-2"],"_email":[{"type":"work","email":"i@example.com"}]}
            """);

        Assert.Equal("c-1", item.Id);
        Assert.Equal("Ирина Петрова", item.Name);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.Zero), item.CreatedAt);
        Assert.Equal(["79161234567", "74950000002"], item.Phones);
        Assert.Equal(["u-1", "u-2"], item.ResponsibleUserIds);
    }

    [Fact]
    public void Tolerates_single_values_where_arrays_are_documented_and_missing_fields()
    {
        var item = Read("""{"__id":"c-2","__name":"Solo","_phone":{"type":"work","tel":"79161234567"},"_responsible":"u-9"}""");
        var bare = Read("""{"__id":"c-3"}""");

        Assert.Equal(["79161234567"], item.Phones);
        Assert.Equal(["u-9"], item.ResponsibleUserIds);
        Assert.Null(item.CreatedAt);
        Assert.Null(bare.Name);
        Assert.Empty(bare.Phones);
        Assert.Empty(bare.ResponsibleUserIds);
    }

    [Fact]
    public void Reads_a_full_name_field_and_keeps_a_name_on_one_line()
    {
        var full = Read("""{"__id":"c-4","_fullname":{"lastname":"Петрова","firstname":"Ирина","middlename":""}}""", name: "_fullname");
        var messy = Read("""{"__id":"c-5","__name":"  ООО\n«Ромашка»\t  Север "}""");

        Assert.Equal("Петрова Ирина", full.Name);
        Assert.Equal("ООО «Ромашка» Север", messy.Name);
    }

    [Fact]
    public void Refuses_what_is_not_an_item() =>
        Assert.Throws<JsonException>(() => Read("""["not","an","item"]"""));
}

public sealed class ContactPickerTests
{
    private const string Phone = "79161234567";

    private static ContactItem Item(string id, string? createdAt, params string[] phones) =>
        new(id, createdAt is null ? null : DateTimeOffset.Parse(createdAt, System.Globalization.CultureInfo.InvariantCulture), id, phones, []);

    [Fact]
    public void Picks_only_an_item_carrying_the_same_number()
    {
        // ELMA365's search is loose (a contains-match on digits): 79161234567 also finds 79161234567X.
        var items = new[] { Item("longer", "2020-01-01T00:00:00Z", "791612345678"), Item("other", "2020-01-01T00:00:00Z", "74950000000") };

        Assert.Null(ContactPicker.Pick(items, Phone));
        Assert.Equal("exact", ContactPicker.Pick([.. items, Item("exact", "2024-01-01T00:00:00Z", "74950000001", Phone)], Phone)!.Id);
    }

    [Fact]
    public void Among_several_picks_the_oldest_then_the_lowest_id_whatever_the_order_they_came_in()
    {
        var items = new[]
        {
            Item("b-newer", "2024-05-01T00:00:00Z", Phone),
            Item("z-oldest", "2021-01-01T00:00:00Z", Phone),
            Item("a-oldest", "2021-01-01T00:00:00Z", Phone),
            Item("undated", null, Phone),
        };

        foreach (var order in Permutations(items))
        {
            Assert.Equal("a-oldest", ContactPicker.Pick(order, Phone)!.Id);
        }

        Assert.Equal("b-newer", ContactPicker.Pick([items[0], items[3]], Phone)!.Id);
    }

    [Fact]
    public void Maps_each_user_to_one_number_and_skips_incomplete_bindings()
    {
        var numbers = ContactPicker.NumbersByUser([("704", "u-2"), ("703", "u-1"), ("alexey", "u-1"), ("", "u-3"), ("705", null), ("701", "u-1")]);

        Assert.Equal(new Dictionary<string, string> { ["u-1"] = "701", ["u-2"] = "704" }, numbers);
    }

    [Fact]
    public void Routes_to_the_first_responsible_user_who_has_a_number()
    {
        var numbers = new Dictionary<string, string> { ["u-2"] = "704", ["u-3"] = "705" };
        var item = new ContactItem("c", null, "n", [Phone], ["u-1", "u-3", "u-2"]);

        Assert.Equal("705", ContactPicker.Responsible(item, numbers));
        Assert.Null(ContactPicker.Responsible(item with { ResponsibleUserIds = ["u-1"] }, numbers));
        Assert.Null(ContactPicker.Responsible(item with { ResponsibleUserIds = [] }, numbers));
    }

    private static IEnumerable<ContactItem[]> Permutations(ContactItem[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations([.. items.Take(i), .. items.Skip(i + 1)]).Select(rest => (ContactItem[])[item, .. rest]));
}
