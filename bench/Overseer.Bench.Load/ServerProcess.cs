using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Overseer.Bench.Load;

/// <summary>
/// The real server as a child process (<c>dotnet overseer.dll serve</c>) on a free port with a
/// fresh data dir. Disposing kills it and deletes the data dir.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int TailLines = 40;
    private readonly Process _process;
    private readonly string _dataDir;
    private readonly Queue<string> _tail = new();

    private ServerProcess(Process process, string dataDir, Uri baseUri)
    {
        _process = process;
        _dataDir = dataDir;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public int Pid => _process.Id;

    public string Token { get; private set; } = "";

    public static async Task<ServerProcess> StartAsync(string dll, int maxConcurrentSessions, CancellationToken ct, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dataDir = Directory.CreateTempSubdirectory("overseer-bench-").FullName;
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo(DotnetHost())
        {
            ArgumentList = { dll, "serve", "--data", dataDir, "--urls", url },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["OVERSEER__Sessions__MaxConcurrent"] = maxConcurrentSessions.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;

        var process = new Process { StartInfo = info };
        var server = new ServerProcess(process, dataDir, new Uri(url + "/"));
        // The pipes must be drained or a chatty server blocks on a full pipe; keep the tail for errors.
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await server.WaitUntilHealthyAsync(ct);
            server.Token = await ReadTokenAsync(Path.Combine(dataDir, "admin.token"), ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The last lines the server wrote to stdout and stderr.</summary>
    public string OutputTail()
    {
        lock (_tail)
            return string.Join(Environment.NewLine, _tail);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true); // scripted agents may be child processes
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            await Console.Error.WriteLineAsync($"warning: could not stop server pid {SafePid()}: {ex.Message}");
        }

        _process.Dispose();
        DeleteQuietly(_dataDir);
    }

    internal static void DeleteQuietly(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
                Directory.Delete(dir, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"warning: could not delete {dir}: {ex.Message}");
        }
    }

    private async Task WaitUntilHealthyAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var health = new Uri(BaseUri, "health");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the server exited with code {_process.ExitCode} before it was healthy:{Environment.NewLine}{OutputTail()}");
            try
            {
                using var response = await http.GetAsync(health, ct);
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(100, ct);
        }

        throw new InvalidOperationException($"GET /health did not answer 200 within 30 s:{Environment.NewLine}{OutputTail()}");
    }

    private static async Task<string> ReadTokenAsync(string path, CancellationToken ct)
    {
        // The token file may land a moment after /health turns healthy.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (File.Exists(path))
            {
                var token = (await File.ReadAllTextAsync(path, ct)).Trim();
                if (token.Length > 0)
                    return token;
            }

            await Task.Delay(100, ct);
        }

        throw new InvalidOperationException($"the server is healthy but wrote no admin token to {path}");
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines)
                _tail.Dequeue();
        }
    }

    private string SafePid()
    {
        try
        {
            return _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The dotnet host running this benchmark when there is one, else <c>dotnet</c> from PATH.</summary>
    private static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
