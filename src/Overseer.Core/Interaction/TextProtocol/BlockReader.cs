namespace Overseer.Core.Interaction.TextProtocol;

/// <summary>
/// Turns the body of a closed block into its record, or a <see cref="MalformedBlock"/> naming what
/// is missing or unreadable. Field syntax is described on <see cref="BlockFields"/>.
/// </summary>
internal static class BlockReader
{
    public static ProtocolBlock Read(string kind, string body)
    {
        var raw = body.Trim();
        var fields = BlockFields.Parse(raw);
        ProtocolBlock? block = null;
        var problem = kind switch
        {
            ProtocolKind.UserQuestion => Question(fields, out block),
            ProtocolKind.DependencyRequest => Dependency(fields, out block),
            _ => Error(fields, out block),
        };
        return problem is null && block is not null ? block : new MalformedBlock(kind, raw, problem ?? "unreadable.");
    }

    /// <summary>
    /// <c>question</c> is required (free text before the first field stands in for it);
    /// <c>category</c>, <c>options</c> and <c>multi_select</c> are optional.
    /// </summary>
    private static string? Question(BlockFields fields, out ProtocolBlock? block)
    {
        block = null;
        var question = fields.Text("question") ?? NullIfEmpty(fields.Preamble);
        if (question is null)
            return "missing question: the block needs a 'question: ...' line.";
        if (fields.Flag("multiselect", absent: false) is not { } multiSelect)
            return "multi_select must be true or false (or yes/no).";
        block = new UserQuestionBlock(fields.Scalar("category"), question, fields.List("options"), multiSelect);
        return null;
    }

    /// <summary><c>type</c> and <c>name</c> are required; <c>description</c> is optional; <c>required</c> defaults to true.</summary>
    private static string? Dependency(BlockFields fields, out ProtocolBlock? block)
    {
        block = null;
        var type = fields.Scalar("type");
        var name = fields.Scalar("name");
        if (type is null)
            return "missing type: the block needs a 'type: ...' line (api_key, env_var, ...).";
        if (name is null)
            return "missing name: the block needs a 'name: ...' line.";
        if (fields.Flag("required", absent: true) is not { } required)
            return "required must be true or false (or yes/no).";
        block = new DependencyRequestBlock(type.ToLowerInvariant(), name, fields.Text("description"), required);
        return null;
    }

    /// <summary><c>message</c> is required (free text before the first field stands in for it); <c>type</c> is optional.</summary>
    private static string? Error(BlockFields fields, out ProtocolBlock? block)
    {
        block = null;
        var message = fields.Text("message") ?? NullIfEmpty(fields.Preamble);
        if (message is null)
            return "missing message: the block needs a 'message: ...' line.";
        block = new ErrorBlock(fields.Scalar("type")?.ToLowerInvariant(), message);
        return null;
    }

    private static string? NullIfEmpty(string text) => text.Length > 0 ? text : null;
}
