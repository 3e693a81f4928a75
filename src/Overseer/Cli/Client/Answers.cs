using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Overseer.Contracts.Events;

namespace Overseer.Cli.Client;

/// <summary>
/// Builds a question's answer from what a person typed: option numbers (<c>2</c>, or <c>1,3</c> for
/// multi-select), option labels, or free text.
/// </summary>
public static class Answers
{
    public static JsonElement From(QuestionItem item, IReadOnlyList<string> choices)
    {
        var labels = choices.Select(c => Label(item, c.Trim())).Where(l => l.Length > 0).ToList();
        if (labels.Count == 0)
            throw new CliException(ExitCodes.Usage, $"no answer given for '{item.Question}'");
        if (!item.MultiSelect && labels.Count > 1)
            throw new CliException(ExitCodes.Usage, $"'{item.Question}' takes one answer, not {labels.Count}");
        return item.MultiSelect ? Array(labels) : String(labels[0]);
    }

    /// <summary>A typed line: numbers separated by commas choose options; anything else is free text.</summary>
    public static JsonElement FromLine(QuestionItem item, string line)
    {
        var parts = line.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var allNumbers = parts.Length > 0 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= item.Options.Count);
        return allNumbers ? From(item, parts) : From(item, [line]);
    }

    private static string Label(QuestionItem item, string choice)
    {
        if (int.TryParse(choice, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 && number <= item.Options.Count)
            return item.Options[number - 1].Label;
        return item.Options.FirstOrDefault(o => string.Equals(o.Label, choice, StringComparison.OrdinalIgnoreCase))?.Label ?? choice;
    }

    private static JsonElement String(string value) => Write(w => w.WriteStringValue(value));

    private static JsonElement Array(IEnumerable<string> values) => Write(w =>
    {
        w.WriteStartArray();
        foreach (var value in values)
            w.WriteStringValue(value);
        w.WriteEndArray();
    });

    private static JsonElement Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            write(writer);
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
