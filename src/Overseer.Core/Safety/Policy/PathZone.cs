namespace Overseer.Core.Safety.Policy;

/// <summary>Where a resolved path lies, as far as the policy cares.</summary>
internal enum PathZone
{
    Project,
    Outside,
    DataDirectory,
    BlockDevice,

    /// <summary>The path depends on an expansion only known at run time.</summary>
    Unknown,
}
