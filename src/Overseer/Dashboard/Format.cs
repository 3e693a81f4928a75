using System.Globalization;
using System.Text.Json;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;

namespace Overseer.Dashboard;

/// <summary>How numbers, times and states read on the dashboard.</summary>
public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", Invariant);

    /// <summary>"3 min ago": rendered on the server, kept fresh by the page's glue from the datetime attribute.</summary>
    public static string Ago(DateTimeOffset t)
    {
        var span = DateTimeOffset.UtcNow - t;
        return span.TotalSeconds < 45 ? "just now"
            : span.TotalMinutes < 60 ? $"{(int)Math.Max(1, Math.Round(span.TotalMinutes))} min ago"
            : span.TotalHours < 24 ? $"{(int)span.TotalHours} h ago"
            : $"{(int)span.TotalDays} d ago";
    }

    public static string Status(SessionStatus status) => status.ToWire();

    public static string Waiting(PendingDto pending)
    {
        var parts = new List<string>(4);
        Add(parts, pending.Approvals, "approval");
        Add(parts, pending.Questions, "question");
        Add(parts, pending.Dependencies, "dependency");
        Add(parts, pending.Reviews, "review");
        return string.Join(", ", parts);

        static void Add(List<string> parts, int n, string what)
        {
            if (n > 0)
                parts.Add(n == 1 ? $"1 {what}" : $"{n} {(what == "dependency" ? "dependencies" : what + "s")}");
        }
    }

    /// <summary>"Design (2/4) · 40% · step 3/7 · writing the schema": a session's progress on one line.</summary>
    public static string Progress(ProgressDto progress)
    {
        var parts = new List<string>(4);
        if (progress.Phase is { } phase)
            parts.Add(phase + (progress.PhaseIndex is { } n ? $" ({n}{(progress.PhaseTotal is { } of ? $"/{of}" : "")})" : ""));
        parts.Add($"{progress.Percent ?? 0}%");
        if (progress.Step is { } step)
            parts.Add($"step {step}/{progress.Steps}");
        if (progress.Text is { } text)
            parts.Add(text);
        return string.Join(" · ", parts);
    }

    public static string FirstLine(string text, int max = 120)
    {
        var line = text.AsSpan().Trim();
        var newline = line.IndexOfAny('\r', '\n');
        if (newline >= 0)
            line = line[..newline];
        return line.Length > max ? string.Concat(line[..(max - 1)], "…") : line.ToString();
    }

    public static string Json(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? "" : JsonSerializer.Serialize(element, DashboardJson.Default.JsonElement);

    public static string? String(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>An id that is safe in an element id and a CSS selector, whatever the agent named it.</summary>
    public static string DomId(string prefix, string raw)
    {
        var chars = new char[raw.Length];
        for (var i = 0; i < raw.Length; i++)
            chars[i] = char.IsAsciiLetterOrDigit(raw[i]) || raw[i] is '-' or '_' ? raw[i] : '_';
        return prefix + "-" + new string(chars);
    }

    public static string Truncate(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max), $"\n… ({text.Length - max:#,0} more characters)");
}
