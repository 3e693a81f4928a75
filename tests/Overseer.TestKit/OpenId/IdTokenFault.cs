namespace Overseer.TestKit.OpenId;

/// <summary>What the test provider does to the id tokens it issues.</summary>
public enum IdTokenFault
{
    /// <summary>A genuine token.</summary>
    None,

    /// <summary>The payload is edited after signing (an admins group added): the signature no longer matches.</summary>
    BadSignature,

    /// <summary>Properly signed, but it expired an hour ago (well past any clock skew allowance).</summary>
    Expired,
}
