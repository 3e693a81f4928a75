namespace Overseer.Bench.Load;

/// <summary>
/// The stand-in <c>claude</c> executable the soak's server runs for claude-code sessions: a
/// POSIX sh script that answers each stdin line (a user turn) with the kind of garbage the
/// prompt names, then a normal <c>result</c> so a well-behaved reader ends the turn. Each kind
/// is one that once killed a reader or was stored as-is (issue 12).
/// </summary>
internal static class FakeClaude
{
    /// <summary>The garbage kinds, as the words the prompt must contain.</summary>
    public static readonly string[] Kinds =
    [
        "message-number", "user-string", "invalid-utf8", "lone-surrogate", "resets-at", "cost-high",
        "surrogate-tool", "huge-stderr", "junk-lines", "huge-text", "plain",
    ];

    private const string Init = """{"type":"system","subtype":"init","session_id":"soak-garbage","model":"fake","tools":[],"claude_code_version":"0.0.0"}""";
    private const string Result = """{"type":"result","subtype":"success","is_error":false,"result":"done","usage":{"input_tokens":1,"output_tokens":1}}""";

    // printf '%s\n' keeps backslashes as written (so \ud800 reaches the server as a JSON escape);
    // octal escapes in a printf format are raw bytes (\377 is 0xFF: dash's printf has no \x).
    // The cost kind's result is the turn's result, as with the real CLI, so no second one follows.
    // A can_use_tool request is answered on stdin; that answer is read so it is not taken for a turn.
    private const string Script =
        $$$"""
        #!/bin/sh
        printf '%s\n' '{{{Init}}}'
        while read -r line; do
          case "$line" in
            *message-number*) printf '%s\n' '{"type":"assistant","message":42}' ;;
            *user-string*) printf '%s\n' '{"type":"user","message":"a string"}' ;;
            *invalid-utf8*) printf '{"type":"assistant","message":{"content":[{"type":"text","text":"bad \303\050\377 bytes"}]}}\n' ;;
            *lone-surrogate*) printf '%s\n' '{"type":"assistant","message":{"content":[{"type":"text","text":"half \ud800 a pair"}]}}' ;;
            *resets-at*) printf '%s\n' '{"type":"rate_limit_event","rate_limit_info":{"status":"allowed","resetsAt":9223372036854775807}}' ;;
            *cost-high*) printf '%s\n' '{"type":"result","subtype":"success","is_error":false,"result":"rich","total_cost_usd":7.9e28,"usage":{"input_tokens":1,"output_tokens":1}}'; continue ;;
            *surrogate-tool*)
              printf '%s\n' '{"type":"control_request","request_id":"req-1","request":{"subtype":"can_use_tool","tool_name":"Bash\udc00","input":{"command":"ls \ud800"},"tool_use_id":"t1"}}'
              read -r answer ;;
            *huge-stderr*) head -c 5000000 /dev/zero | tr '\0' 'e' >&2; echo >&2 ;;
            *junk-lines*) i=0; while [ $i -lt 2000 ]; do echo "junk line $i {not json"; i=$((i+1)); done ;;
            *huge-text*)
              printf '{"type":"assistant","message":{"content":[{"type":"text","text":"'
              head -c 3000000 /dev/zero | tr '\0' 't'
              printf '"}]}}\n' ;;
          esac
          printf '%s\n' '{{{Result}}}'
        done
        """;

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
