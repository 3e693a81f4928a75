namespace Overseer.Bench.Load;

/// <summary>
/// The stand-in <c>claude</c> of the <c>live</c> bench: a bash script speaking the CLI's
/// stream-json output. It prints the init line; for each user turn on stdin it prints
/// <c>count=N</c> assistant messages (the prompt says N and <c>interval_us=U</c>), one every U µs
/// on an absolute schedule, each text "i stamp padding" where stamp is the wall clock in µs
/// (<c>$EPOCHREALTIME</c>) just before the line is written, padded so the line is ~400 B; then a
/// <c>result</c> line. Builtins only in the loop (no fork per message: 100 agents × 50/s would
/// otherwise cost the server's cores). It runs inside the sandbox as agents do: bash is under
/// /usr, and the script is the agent's executable, mounted read-only.
/// </summary>
internal static class LiveClaude
{
    private const string Script =
        """
        #!/bin/bash
        # Sleeps by waiting on stdin: the server writes nothing more during a turn.
        printf '%s\n' '{"type":"system","subtype":"init","session_id":"bench-live","model":"fake","tools":[],"claude_code_version":"0.0.0"}'
        printf -v pad '%*s' 300 ''
        pad=${pad// /x}
        while IFS= read -r line; do
          count=200 interval=20000
          [[ $line =~ count=([0-9]+) ]] && count=${BASH_REMATCH[1]}
          [[ $line =~ interval_us=([0-9]+) ]] && interval=${BASH_REMATCH[1]}
          now=${EPOCHREALTIME/[.,]/}
          next=$now
          for ((i = 1; i <= count; i++)); do
            while ((now < next)); do
              wait=$((next - now))
              printf -v t '%d.%06d' $((wait / 1000000)) $((wait % 1000000))
              read -r -t "$t" ignored
              now=${EPOCHREALTIME/[.,]/}
            done
            printf '{"type":"assistant","message":{"id":"msg_%d","type":"message","role":"assistant","model":"fake","content":[{"type":"text","text":"%d %s %s"}]},"session_id":"bench-live"}\n' "$i" "$i" "$now" "$pad"
            next=$((next + interval))
            now=${EPOCHREALTIME/[.,]/}
          done
          printf '%s\n' '{"type":"result","subtype":"success","is_error":false,"result":"done","num_turns":1,"session_id":"bench-live","usage":{"input_tokens":1,"output_tokens":1}}'
        done
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
