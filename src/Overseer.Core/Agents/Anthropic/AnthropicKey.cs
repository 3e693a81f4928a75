using Microsoft.Extensions.Options;
using Overseer.Core.Secrets;

namespace Overseer.Core.Agents.Anthropic;

/// <summary>
/// Where the API key comes from: the settings, else the secrets vault. The value goes to the
/// client library only: never into a log, an event or an agent's environment.
/// </summary>
internal sealed class AnthropicKey(IOptions<AnthropicOptions> options, SecretVault? vault = null)
{
    public async Task<(string? Key, string Source)> ResolveAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.ApiKey))
            return (settings.ApiKey.Trim(), $"{AnthropicOptions.Section}:ApiKey");
        if (vault is not null && await vault.GetValueAsync(settings.ApiKeySecret, cancellationToken) is { Length: > 0 } secret)
            return (secret.Trim(), $"the vault secret {settings.ApiKeySecret}");
        return (null, "nowhere");
    }
}
