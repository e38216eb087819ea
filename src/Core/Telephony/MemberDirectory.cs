using Megafon.Core.Http;
using Megafon.Core.Vats.Api;

namespace Megafon.Core.Telephony;

/// <summary>An entry of ELMA365's user-mapping list: the PBX id ELMA365 stores, and what it shows.</summary>
public sealed record Elma365Member(string Id, string Label);

/// <summary>
/// Lists PBX users for ELMA365's user mapping. The id is the extension when there is one, else
/// the login: the same key the processor puts on the member's side of a call (<c>dstPhone</c> inbound,
/// <c>srcPhone</c> outbound), so mapped users get their cards.
/// </summary>
public sealed class MemberDirectory(VatsApiClient vats)
{
    public async Task<ApiResult> GetAsync(bool includeGroups, CancellationToken cancellationToken)
    {
        try
        {
            var accounts = await vats.GetAccountsAsync(cancellationToken).ConfigureAwait(false);
            var members = accounts
                .Select(a => new Elma365Member(Calls.CallPolicy.Member(Blank(a.Ext), a.Name), Blank(a.RealName) ?? a.Name))
                .ToList();
            if (includeGroups)
            {
                var groups = await vats.GetGroupsAsync(null, cancellationToken).ConfigureAwait(false);
                members.AddRange(groups.Select(g => new Elma365Member(Blank(g.Ext) ?? g.Id, Blank(g.RealName) ?? g.Id)));
            }

            return ApiResult.Ok(members);
        }
        catch (VatsApiException e)
        {
            return e.ToApiResult();
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
