using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Overseer.TestKit;

/// <summary>
/// <c>overseer serve</c> as a separate process, for what only a real process shows: being
/// killed, signalled and restarted.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, Uri address, string dataDir)
    {
        _process = process;
        Address = address;
        DataDir = dataDir;
    }

    public Uri Address { get; }
    public string DataDir { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>The <c>overseer</c> executable built beside the tests.</summary>
    public static string ExecutablePath => Path.Combine(AppContext.BaseDirectory, "overseer.dll");

    /// <summary>Starts a server; pass the <paramref name="port"/> of a stopped one to restart it where its clients look.</summary>
    public static async Task<ServerProcess> StartAsync(string dataDir, string projectsRoot, IDictionary<string, string>? environment = null, int? port = null)
    {
        port ??= FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { ExecutablePath, "serve", "--data", dataDir, "--urls", $"http://127.0.0.1:{port}" })
            start.ArgumentList.Add(arg);
        start.Environment["OVERSEER__Projects__AllowedRoots__0"] = projectsRoot;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        var process = Process.Start(start)!;
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"), dataDir);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitHealthyAsync();
        return server;
    }

    public string Token => File.ReadAllText(Path.Combine(DataDir, "admin.token")).Trim();

    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>kill -9: no chance to clean up.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then the exit code once it has stopped by itself.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!Signals.Send(_process.Id, Signals.Terminate))
            throw new InvalidOperationException("Could not send SIGTERM.");
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    private async Task WaitHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"overseer exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK && File.Exists(Path.Combine(DataDir, "admin.token")))
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"overseer did not become healthy:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }


    public ValueTask DisposeAsync() => Signals.StopAndDisposeAsync(_process);
}
