using Megafon.Core.Contacts;

namespace Megafon.Core.Tests;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("+7 (916) 123-45-67", "79161234567")]
    [InlineData("79161234567", "79161234567")]
    [InlineData("+79161234567", "79161234567")]
    [InlineData("89161234567", "79161234567")]
    [InlineData("8 (916) 123-45-67", "79161234567")]
    [InlineData("8-916-123-45-67", "79161234567")]
    [InlineData("9161234567", "79161234567")]
    [InlineData("+375 (29) 123-45-67", "375291234567")]
    [InlineData("+44 20 7946 0958", "442079460958")]
    [InlineData("1234567", "1234567")]
    public void Writes_a_number_as_digits_with_its_country_code(string written, string canonical) =>
        Assert.Equal(canonical, PhoneNumber.Canonical(written));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("703")]
    [InlineData("123456")]
    [InlineData("pbx")]
    [InlineData("+")]
    [InlineData("123456789012345678901234567890123")]
    public void Is_no_number_when_there_are_too_few_or_absurdly_many_digits(string? written) =>
        Assert.Null(PhoneNumber.Canonical(written));

    [Theory]
    [InlineData("+7 (916) 123-45-67", "79161234567")]
    [InlineData("8 916 123 45 67", "+79161234567")]
    [InlineData("89161234567", "9161234567")]
    public void Every_way_of_writing_one_number_is_the_same_number(string one, string other) =>
        Assert.Equal(PhoneNumber.Canonical(one), PhoneNumber.Canonical(other));

    [Theory]
    [InlineData("79161234567", "89161234568")]
    [InlineData("79161234567", "375291234567")]
    [InlineData("79161234567", "7916123456")]
    public void Different_numbers_stay_different(string one, string other) =>
        Assert.NotEqual(PhoneNumber.Canonical(one), PhoneNumber.Canonical(other));

    [Theory]
    [InlineData("79161234567", "9161234567")]
    [InlineData("375291234567", "375291234567")]
    [InlineData("1234567", "1234567")]
    public void Searches_ELMA365_for_a_Russian_numbers_ten_digits_else_the_whole_number(string canonical, string key) =>
        Assert.Equal(key, PhoneNumber.SearchKey(canonical));

    [Theory]
    [InlineData("+7 (916) 123-45-67")]
    [InlineData("89161234567")]
    [InlineData("9161234567")]
    [InlineData("79161234567")]
    public void The_search_key_is_in_the_digits_of_every_spelling(string spelling) =>
        Assert.Contains(PhoneNumber.SearchKey(PhoneNumber.Canonical("+79161234567")!), new string([.. spelling.Where(char.IsAsciiDigit)]), StringComparison.Ordinal);
}
