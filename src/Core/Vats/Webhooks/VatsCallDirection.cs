namespace Megafon.Core.Vats.Webhooks;

/// <summary>Which way a call goes, from the company's point of view.</summary>
public enum VatsCallDirection
{
    In,
    Out,
}
