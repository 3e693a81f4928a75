using Microsoft.Extensions.Options;
using Overseer.Core.Secrets;

namespace Overseer.Core.Agents.OpenAI;

/// <summary>
/// The endpoint's key: the settings, else the secrets vault, else none (a local server needs
/// none). The value goes into the Authorization header only: never into a log, an event or an
/// agent's environment.
/// </summary>
internal sealed class OpenAIKey(IOptions<OpenAIOptions> options, SecretVault? vault = null)
{
    public async Task<(string? Key, string Source)> ResolveAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.ApiKey))
            return (settings.ApiKey.Trim(), $"{OpenAIOptions.Section}:ApiKey");
        if (vault is not null && await vault.GetValueAsync(settings.ApiKeySecret, cancellationToken) is { Length: > 0 } secret)
            return (secret.Trim(), $"the vault secret {settings.ApiKeySecret}");
        return (null, "none (a local server needs none)");
    }
}
