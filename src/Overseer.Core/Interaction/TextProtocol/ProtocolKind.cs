namespace Overseer.Core.Interaction.TextProtocol;

/// <summary>The block kinds, as they appear in markers and in <see cref="MalformedBlock.Kind"/>.</summary>
internal static class ProtocolKind
{
    public const string UserQuestion = "USER_QUESTION";
    public const string DependencyRequest = "DEPENDENCY_REQUEST";
    public const string Error = "ERROR";
    public const string Phase = "PHASE";
    public const string Step = "STEP";

    /// <summary>The canonical kind for a marker name matched case-insensitively.</summary>
    public static string Of(string name) => name.ToUpperInvariant() switch
    {
        UserQuestion => UserQuestion,
        DependencyRequest => DependencyRequest,
        _ => Error,
    };
}
