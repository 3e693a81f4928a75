using Overseer.Contracts.Api;

namespace Overseer.Core.Templates;

/// <summary>A template changed or read, or why not (<see cref="Code"/> is one of <see cref="ErrorCodes"/>; <see cref="Field"/> names the field at fault).</summary>
public sealed record TemplateOutcome(TemplateDto? Template, string? Code = null, string? Message = null, string? Field = null)
{
    public static TemplateOutcome Fail(string code, string message, string? field = null) => new(null, code, message, field);

    public static TemplateOutcome NotFound(string id) => Fail(ErrorCodes.TemplateNotFound, $"No template has id '{id}'.");
}
