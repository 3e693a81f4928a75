using System.Collections.Concurrent;
using System.Threading.Channels;
using Overseer.Storage;

namespace Overseer.Auth;

/// <summary>
/// Records when each token was last used, off the request path and at most once per
/// <see cref="Resolution"/> per token: a request only looks at a dictionary; a background loop
/// writes. A last-used time is therefore up to a minute early, never a write per request.
/// </summary>
public sealed partial class TokenUsage(IApiTokenStore tokens, TimeProvider time, ILogger<TokenUsage> logger) : BackgroundService
{
    public static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _recorded = new(StringComparer.Ordinal);
    // Bounded: if the database stalls, later marks are dropped rather than piling up in memory.
    private readonly Channel<(string TokenId, DateTimeOffset At)> _writes =
        Channel.CreateBounded<(string, DateTimeOffset)>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Notes that <paramref name="tokenId"/> was just used; cheap, never waits.</summary>
    public void Used(string tokenId)
    {
        var now = time.GetUtcNow();
        if (_recorded.TryGetValue(tokenId, out var last) && now - last < Resolution)
            return;
        _recorded[tokenId] = now;
        _writes.Writer.TryWrite((tokenId, now));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (tokenId, at) in _writes.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await tokens.TouchAsync(tokenId, at, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A missed last-used time is not worth failing anything for.
                    LogTouchFailed(ex, tokenId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the last use of token {TokenId}")]
    private partial void LogTouchFailed(Exception ex, string tokenId);
}
