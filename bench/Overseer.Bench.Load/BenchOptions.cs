using System.Globalization;

namespace Overseer.Bench.Load;

/// <summary>Command-line options of the load benchmark.</summary>
public sealed record BenchOptions(
    int Sessions,
    int Rate,
    int Subscribers,
    int Seconds,
    string? ServerDll,
    Uri? Url,
    string? Token)
{
    public const string Usage = """
        usage: overseer-bench-load [--sessions N=50] [--rate M=20] [--subscribers K=20] [--seconds S=10]
                                   [--server-dll PATH] [--url URL --token TOKEN]

          --sessions N      scripted sessions running at once
          --rate M          agent.text events per second per session
          --subscribers K   SSE subscribers on GET /api/stream, one connection each
          --seconds S       how long each session emits
          --server-dll P    server to start (default: src/Overseer/bin/Release/net10.0/overseer.dll)
          --url, --token    use a running server instead of starting one

               overseer-bench-load page [--events N=100000] [--server-dll PATH]
               overseer-bench-load live [--sessions N=20] [--subscribers K=20] [--ws-clients W=1] [--messages M=200]
                                        [--rate R=50] [--no-sandbox] [--no-warmup] [--matrix] [--server-dll PATH]
                   claude-code sessions with a stand-in CLI: agent pipe to SSE/WebSocket clients
               overseer-bench-load sandbox [--runs N=20]   the sandbox's start cost per agent process
               overseer-bench-load soak [--minutes N=10] [--seed S] [--campaigns http,ws,agent] [--server-dll PATH]
                   robustness soak: HTTP, WebSocket and garbage-agent campaigns for N minutes;
                   PASS = 0 5xx, 0 stuck sessions, RSS after ≤ 1.2x before, peak ≤ 300 MB
        """;

    /// <summary>agent.text events each session emits: texts "1" .. this number.</summary>
    public int EventsPerSession => Rate * Seconds;

    /// <summary>Pause after each agent.text step; integer milliseconds, so rates that do not divide 1000 run a little fast.</summary>
    public int SleepMs => Math.Max(1, 1000 / Rate);

    /// <summary>Parses <c>--name value</c> or <c>--name=value</c>; throws <see cref="FormatException"/> on bad input.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions(50, 20, 20, 10, null, null, null);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? value = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                value = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            string Value() => value ?? (i + 1 < args.Count ? args[++i] : throw new FormatException($"{arg} needs a value"));

            options = arg switch
            {
                "--sessions" => options with { Sessions = Positive(arg, Value()) },
                "--rate" => options with { Rate = Positive(arg, Value()) },
                "--subscribers" => options with { Subscribers = Positive(arg, Value()) },
                "--seconds" => options with { Seconds = Positive(arg, Value()) },
                "--server-dll" => options with { ServerDll = Value() },
                "--url" => options with { Url = AbsoluteUri(Value()) },
                "--token" => options with { Token = Value() },
                _ => throw new FormatException($"unknown option {arg}"),
            };
        }

        if ((options.Url is null) != (options.Token is null))
            throw new FormatException("--url and --token go together");
        if (options.Url is not null && options.ServerDll is not null)
            throw new FormatException("--server-dll cannot be combined with --url");
        if (options.Rate > 1000)
            throw new FormatException("--rate is at most 1000 (the script sleeps whole milliseconds)");
        return options;
    }

    private static int Positive(string name, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new FormatException($"{name} must be a positive integer, got '{text}'");

    private static Uri AbsoluteUri(string text) =>
        Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri)
            ? uri
            : throw new FormatException($"--url is not an absolute URL: '{text}'");
}
