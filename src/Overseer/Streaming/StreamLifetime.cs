using Overseer.Auth;

namespace Overseer.Streaming;

/// <summary>
/// How long one open stream lives: until the client goes, the server stops, or the access it was
/// opened with ends (its token revoked or expired, its user removed or disabled; see
/// <see cref="LiveConnections"/>).
/// </summary>
public sealed class StreamLifetime : IDisposable
{
    private readonly CancellationTokenSource _ended;
    private readonly IDisposable _registration;

    public StreamLifetime(HttpContext context)
    {
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        _ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        _registration = context.RequestServices.GetRequiredService<LiveConnections>().Register(context.User, _ => Cancel());
    }

    public CancellationToken Token => _ended.Token;

    public void Dispose()
    {
        _registration.Dispose();
        _ended.Dispose();
    }

    private void Cancel()
    {
        try
        {
            _ended.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The stream ended on its own at the same moment.
        }
    }
}
