namespace Overseer.Bench.Load;

/// <summary>
/// The stand-in <c>claude</c> of the <c>live</c> bench: a Perl script (perl is in every Debian
/// base system, under /usr, so it runs inside the sandbox as agents do; the script itself is the
/// agent's executable, mounted read-only) speaking the CLI's stream-json output. It prints the
/// init line; for each user turn on stdin it prints <c>count=N</c> assistant messages (the prompt
/// says N and <c>interval_us=U</c>), one every U µs on an absolute schedule, each text
/// "i stamp padding" where stamp is the wall clock in µs just before the line is written, padded
/// so the line is ~400 B; then a <c>result</c> line. A first version in bash cost as much CPU as
/// the server at 50 agents; this one costs a few percent, so the figures are the server's.
/// </summary>
internal static class LiveClaude
{
    private const string Script =
        """
        #!/usr/bin/perl
        use strict;
        use warnings;
        use Time::HiRes qw(gettimeofday sleep);
        $| = 1;
        print qq({"type":"system","subtype":"init","session_id":"bench-live","model":"fake","tools":[],"claude_code_version":"0.0.0"}\n);
        my $pad = 'x' x 300;
        sub micros { my ($s, $us) = gettimeofday(); return $s * 1000000 + $us; }
        while (my $line = <STDIN>) {
          my ($count) = $line =~ /count=(\d+)/;
          my ($interval) = $line =~ /interval_us=(\d+)/;
          $count //= 200;
          $interval //= 20000;
          my $next = micros();
          for my $i (1 .. $count) {
            my $now = micros();
            sleep(($next - $now) / 1e6) if $now < $next;
            $now = micros();
            print qq({"type":"assistant","message":{"id":"msg_$i","type":"message","role":"assistant","model":"fake","content":[{"type":"text","text":"$i $now $pad"}]},"session_id":"bench-live"}\n);
            $next += $interval;
          }
          print qq({"type":"result","subtype":"success","is_error":false,"result":"done","num_turns":1,"session_id":"bench-live","usage":{"input_tokens":1,"output_tokens":1}}\n);
        }
        """;

    /// <summary>The prompt that makes the stand-in print <paramref name="count"/> messages, one every <paramref name="intervalMicros"/> µs.</summary>
    public static string Prompt(int count, int intervalMicros) => $"bench-live count={count} interval_us={intervalMicros}";

    /// <summary>Writes the script as <c>claude</c> in <paramref name="dir"/>, executable; returns its path.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static string Write(string dir)
    {
        var path = Path.Combine(dir, "claude");
        File.WriteAllText(path, Script.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
