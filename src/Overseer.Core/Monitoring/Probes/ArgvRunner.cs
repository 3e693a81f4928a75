using System.Diagnostics;
using System.Text;

namespace Overseer.Core.Monitoring.Probes;

/// <summary>Runs a prepared process (argv, never a shell string), keeps the head of its output, and kills it when cancelled.</summary>
internal static class ArgvRunner
{
    public const int MaxOutputChars = 64 * 1024;

    public static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo start, CancellationToken cancellationToken)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        void Append(string? line)
        {
            if (line is null)
                return;
            lock (output)
            {
                if (output.Length < MaxOutputChars)
                    output.Append(line).Append('\n');
            }
        }
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended meanwhile.
            }
            throw;
        }
        lock (output)
            return (process.ExitCode, output.ToString());
    }
}
