using System.Diagnostics;
using System.Net.Sockets;
using Overseer.Contracts.Monitoring;

namespace Overseer.Core.Monitoring.Probes;

/// <summary>TCP checks: the port accepts a connection; the value is the connect time in ms.</summary>
internal sealed class TcpProbe : ICheckProbe
{
    public string Kind => "tcp";

    public async Task<CheckResult> RunAsync(CheckDefinition check, CancellationToken cancellationToken)
    {
        TcpEndpoint.TryParse(check.Target, out var host, out var port);
        var clock = Stopwatch.StartNew();
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(host, port, cancellationToken);
            var ms = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
            return new CheckResult(true, ms, "ms", $"{host}:{port} accepts connections ({ms:0.#} ms)");
        }
        catch (SocketException ex)
        {
            return CheckResult.Fail($"{host}:{port}: {ex.Message}");
        }
    }
}
