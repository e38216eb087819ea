using Megafon.Core.Elma365.Module;

namespace Megafon.Core.Tests;

public sealed class Elma365WebhookAddressTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(10);

    [Theory]
    [InlineData("https://company.elma365.ru/api/extensions/0f1e/script/webhook?token=abc")]
    [InlineData("https://elma.company.local:8443/hook")]
    [InlineData("  https://company.elma365.ru/hook  ")]
    [InlineData("http://127.0.0.1:7302/elma365/webhook")]
    [InlineData("http://localhost:5000/hook")]
    [InlineData("http://[::1]:8080/hook")]
    public void The_module_may_register_an_https_address_or_plain_http_to_loopback(string text)
    {
        Assert.True(Elma365WebhookAddress.TryParse(text, out var url, out var error), error);
        Assert.Equal(text.Trim(), url!.OriginalString);
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("   ", "required")]
    [InlineData("/api/hook", "absolute")]
    [InlineData("company.elma365.ru/hook", "absolute")]
    [InlineData("http://company.elma365.ru/hook", "https")]
    [InlineData("http://10.0.0.5/hook", "https")]
    [InlineData("ftp://company.elma365.ru/hook", "https")]
    [InlineData("file:///etc/passwd", "https")]
    [InlineData("javascript:alert(1)", "https")]
    [InlineData("https://user:secret@company.elma365.ru/hook", "credentials")]
    public void Anything_else_is_refused_with_a_reason(string? text, string reason)
    {
        Assert.False(Elma365WebhookAddress.TryParse(text, out var url, out var error));
        Assert.Null(url);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_address_longer_than_the_limit_is_refused()
    {
        var text = "https://company.elma365.ru/" + new string('a', Elma365WebhookAddress.MaxLength);

        Assert.False(Elma365WebhookAddress.TryParse(text, out _, out var error));
        Assert.Contains("at most", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Origin_and_fingerprint_tell_addresses_apart_without_showing_their_token()
    {
        var old = new Elma365WebhookAddress(new Uri("https://company.elma365.ru/hook?token=old-secret"), null);
        var renewed = new Elma365WebhookAddress(new Uri("https://company.elma365.ru/hook?token=new-secret"), Now);

        Assert.Equal("https://company.elma365.ru", old.Origin);
        Assert.Equal(old.Origin, renewed.Origin);
        Assert.NotEqual(old.Fingerprint, renewed.Fingerprint);
        Assert.Matches("^[0-9a-f]{12}$", old.Fingerprint);
        Assert.DoesNotContain("secret", old.Origin + old.Fingerprint, StringComparison.Ordinal);
        Assert.False(old.IsSameAddress(renewed));
        Assert.True(renewed.IsSameAddress(renewed with { RegisteredAt = null }));
        Assert.False(old.IsRegistered);
        Assert.True(renewed.IsRegistered);
    }

    [Theory]
    [InlineData(401, true)]
    [InlineData(403, true)]
    [InlineData(404, true)]
    [InlineData(400, false)]
    [InlineData(405, false)]
    [InlineData(409, false)]
    [InlineData(410, false)]
    [InlineData(422, false)]
    public void Only_401_403_and_404_can_mean_the_address_changed(int status, bool expected) =>
        Assert.Equal(expected, Elma365AddressRefusal.IsAddressRefusal(status));

    public static TheoryData<bool, double, bool> RefusalRows => new()
    {
        // address pushed to has been replaced since, webhook age in minutes → may still be the address changing
        { true, 0.1, true },
        { true, 9.9, true },
        { true, 600, true }, // however old: the retry goes to the new address
        { false, 0, true },
        { false, 9.9, true }, // the module may not have registered its new address yet
        { false, 10, false }, // still the current address, well after: a real refusal
        { false, 600, false },
    };

    [Theory]
    [MemberData(nameof(RefusalRows))]
    public void A_refusal_waits_while_the_address_may_be_changing(bool replaced, double ageMinutes, bool expected)
    {
        var pushedTo = new Elma365WebhookAddress(new Uri("https://company.elma365.ru/hook?token=old"), null);
        var current = replaced ? new Elma365WebhookAddress(new Uri("https://company.elma365.ru/hook?token=new"), Now.AddMinutes(-1)) : pushedTo;

        Assert.Equal(expected, Elma365AddressRefusal.MayBeChanging(pushedTo, current, Now.AddMinutes(-ageMinutes), Now, Grace));
    }
}
