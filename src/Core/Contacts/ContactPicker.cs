namespace Megafon.Core.Contacts;

/// <summary>
/// The pick rule, in one place: a caller is whoever's item carries the same number (compared by
/// <see cref="PhoneNumber.Canonical"/>), in the first app of <c>Contact__Apps</c> that has one;
/// among several there, the oldest (<c>__createdAt</c>, then <c>__id</c>). The responsible's PBX
/// number is that of the first of the item's responsible users who has a binding in «Настроить».
/// </summary>
public static class ContactPicker
{
    /// <summary>The item of one app that answers for <paramref name="canonicalPhone"/>, or null.</summary>
    public static ContactItem? Pick(IEnumerable<ContactItem> items, string canonicalPhone) =>
        items.Where(i => i.Phones.Contains(canonicalPhone, StringComparer.Ordinal))
            .OrderBy(i => i.CreatedAt ?? DateTimeOffset.MaxValue)
            .ThenBy(i => i.Id, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>
    /// User id → the PBX number to ring. A user bound to several numbers gets the first in
    /// ordinal order, so the answer never depends on the order ELMA365 lists them in.
    /// </summary>
    public static IReadOnlyDictionary<string, string> NumbersByUser(IEnumerable<(string? Extension, string? UserId)> bindings) =>
        bindings.Where(b => !string.IsNullOrWhiteSpace(b.Extension) && !string.IsNullOrWhiteSpace(b.UserId))
            .GroupBy(b => b.UserId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(b => b.Extension!.Trim()).Order(StringComparer.Ordinal).First(), StringComparer.Ordinal);

    /// <summary>The PBX number of the first responsible user who has one, or null.</summary>
    public static string? Responsible(ContactItem item, IReadOnlyDictionary<string, string> numbersByUser)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(numbersByUser);
        foreach (var user in item.ResponsibleUserIds)
        {
            if (numbersByUser.TryGetValue(user, out var number))
            {
                return number;
            }
        }

        return null;
    }
}
