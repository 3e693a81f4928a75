using Microsoft.Extensions.Options;
using Overseer.Hosting;

namespace Overseer.Cli;

public static class ServeCommand
{
    public static async Task<int> RunAsync(ServeOptions options, CancellationToken cancellationToken)
    {
        NativeHeap.Configure();
        WebApplication app;
        try
        {
            app = OverseerServer.Build(options);
            await app.StartAsync(cancellationToken);
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("overseer: invalid configuration: " + string.Join("; ", ex.Failures));
            return 2;
        }
        catch (Core.Safety.Policy.PolicyFileException ex)
        {
            await Console.Error.WriteLineAsync("overseer: invalid policy file: " + ex.Message);
            return 2;
        }
        catch (DataDirectoryException ex)
        {
            await Console.Error.WriteLineAsync("overseer: unsafe data directory: " + ex.Message);
            return 2;
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync("overseer: cannot start: " + ex.Message);
            return 1;
        }
        // SIGTERM and Ctrl-C stop the host gracefully: agents interrupted, store flushed, exit 0.
        await app.WaitForShutdownAsync(CancellationToken.None);
        await app.DisposeAsync();
        return 0;
    }
}
