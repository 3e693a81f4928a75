using System.Text;

namespace Overseer.Cli.Client;

/// <summary>Reading from the person at the terminal: lines, and secrets without echo.</summary>
public static class ConsoleInput
{
    /// <summary>True when stdin is a terminal a person can type into (not a pipe or a file).</summary>
    public static bool Interactive => !Console.IsInputRedirected;

    /// <summary>
    /// Turns the terminal's own echo off now instead of at the first read. Until a read starts, the
    /// terminal echoes what arrives, so keys typed or pasted as a prompt appears would show: a
    /// secret in clear, a line twice. The runtime keeps the terminal this way (keys one by one, no
    /// echo, Ctrl-C still SIGINT) until the process exits, and restores it then. Call it just
    /// before a prompt, not earlier: changing the terminal stops a process in the background.
    /// </summary>
    public static void TakeOverEcho()
    {
        if (!Interactive)
            return;
        // Asking whether a key waits configures the terminal for reading (System.Native StdinReady),
        // an undocumented side effect: the pty tests (CliTerminalTests) hold it to it.
        _ = Console.KeyAvailable;
    }

    /// <summary>A line, or null at end of input. Cancellation stops the wait (the read itself cannot be stopped).</summary>
    public static async Task<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        await Task.Run(Console.In.ReadLine, CancellationToken.None).WaitAsync(cancellationToken);

    /// <summary>Reads a secret from the terminal, showing one <c>*</c> per character.</summary>
    public static async Task<string> ReadSecretAsync(CancellationToken cancellationToken) =>
        await Task.Run(ReadSecret, CancellationToken.None).WaitAsync(cancellationToken);

    private static string ReadSecret()
    {
        var value = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Out.WriteLine();
                return value.ToString();
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (value.Length > 0)
                {
                    value.Length--;
                    Console.Out.Write("\b \b");
                }
                continue;
            }
            if (!char.IsControl(key.KeyChar))
            {
                value.Append(key.KeyChar);
                Console.Out.Write('*');
            }
        }
    }
}
