namespace Megafon.Core.Elma365.Api;

/// <summary>Why a call to ELMA365's public API failed, in terms an admin (and a metric) can act on.</summary>
public enum Elma365ApiFailure
{
    /// <summary>401, or 403 on a read: the token is wrong, revoked or expired (Elma365__ApiToken).</summary>
    InvalidToken,

    /// <summary>403 on the bindings: the token's user is not an administrator.</summary>
    Forbidden,

    /// <summary>404: no such app or module, or not a /pub/v1 address.</summary>
    NotFound,

    /// <summary>400: ELMA365 refused the request (an unknown field code, a module that is not a telephony one).</summary>
    BadRequest,

    /// <summary>429: too many requests.</summary>
    Throttled,

    /// <summary>5xx, a gateway page, or no connection.</summary>
    Unavailable,

    /// <summary>No answer in time.</summary>
    Timeout,

    /// <summary>An answer that is not the documented JSON, or <c>success: false</c>.</summary>
    InvalidResponse,

    /// <summary>A redirect or an unknown host: Elma365__ApiUrl is not the company's address.</summary>
    WrongAddress,
}
