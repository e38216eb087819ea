namespace Megafon.Core.Vats.Api;

/// <summary>Why a command to the PBX failed, in the terms an admin can act on.</summary>
public enum VatsApiFailure
{
    /// <summary>401: Vats__ApiKey is not the PBX's key.</summary>
    InvalidToken,

    /// <summary>400: the PBX did not accept the command's parameters (an unknown user, say).</summary>
    InvalidParameters,

    /// <summary>A redirect or an unknown host: Vats__Endpoint is not a PBX API address.</summary>
    WrongAddress,

    /// <summary>5xx, a gateway page, no answer in time, or a body that is not the PBX's JSON.</summary>
    Unavailable,

    /// <summary>No answer within the time allowed.</summary>
    Timeout,
}
