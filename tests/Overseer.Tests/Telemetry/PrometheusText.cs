using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Overseer.Tests.Telemetry;

/// <summary>
/// A strict reader of the Prometheus text exposition format (0.0.4): HELP and TYPE lines, each at
/// most once per family and before its samples; samples with escaped label values; histogram
/// series named _bucket/_sum/_count with le buckets that never decrease and end at +Inf. Anything
/// else is a <see cref="FormatException"/> naming the line, so a scrape that Prometheus would
/// refuse fails the test.
/// </summary>
public static partial class PrometheusText
{
    public static IReadOnlyDictionary<string, MetricFamily> Parse(string text)
    {
        var families = new Dictionary<string, MetricFamily>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
                continue;
            try
            {
                if (line.StartsWith('#'))
                    ReadComment(line, families);
                else
                    ReadSample(line, families, seen);
            }
            catch (FormatException ex)
            {
                throw new FormatException($"line {lineNumber}: {ex.Message}: {line}", ex);
            }
        }
        foreach (var family in families.Values.Where(f => f.Type == "histogram"))
            CheckHistogram(family);
        return families;
    }

    private static void ReadComment(string line, Dictionary<string, MetricFamily> families)
    {
        var parts = line.Split(' ', 4);
        if (parts.Length < 3 || parts[1] is not ("HELP" or "TYPE"))
            return; // a plain comment
        var name = parts[2];
        if (!MetricName().IsMatch(name))
            throw new FormatException($"bad metric name '{name}'");
        var family = families.TryGetValue(name, out var f) ? f : families[name] = new MetricFamily(name);
        if (family.Samples.Count > 0)
            throw new FormatException($"{parts[1]} for {name} after its samples");
        if (parts[1] == "HELP")
        {
            if (family.Help is not null)
                throw new FormatException($"second HELP for {name}");
            family.Help = UnescapeHelp(parts.Length > 3 ? parts[3] : "");
        }
        else
        {
            if (family.Type is not null)
                throw new FormatException($"second TYPE for {name}");
            var type = parts.Length > 3 ? parts[3] : "";
            if (type is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                throw new FormatException($"unknown type '{type}'");
            family.Type = type;
        }
    }

    private static void ReadSample(string line, Dictionary<string, MetricFamily> families, HashSet<string> seen)
    {
        var at = 0;
        while (at < line.Length && line[at] is not ('{' or ' '))
            at++;
        var name = line[..at];
        if (!MetricName().IsMatch(name))
            throw new FormatException($"bad metric name '{name}'");
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (at < line.Length && line[at] == '{')
            at = ReadLabels(line, at + 1, labels);
        if (at >= line.Length || line[at] != ' ')
            throw new FormatException("no space before the value");
        var rest = line[(at + 1)..].Split(' ');
        if (rest.Length is < 1 or > 2)
            throw new FormatException("expected a value and at most a timestamp");
        var value = ParseValue(rest[0]);
        if (rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            throw new FormatException($"bad timestamp '{rest[1]}'");
        var family = FamilyOf(name, families) ?? throw new FormatException($"sample {name} has no TYPE before it");
        if (family.Type == "histogram" && name == family.Name + "_bucket" && !labels.ContainsKey("le"))
            throw new FormatException("a histogram bucket without le");
        if (family.Type == "counter" && value < 0)
            throw new FormatException("a counter below zero");
        var series = name + "{" + string.Join(",", labels.Select(l => $"{l.Key}={l.Value}")) + "}";
        if (!seen.Add(series))
            throw new FormatException($"duplicate series {series}");
        family.Samples.Add(new Sample(name, labels, value));
    }

    private static int ReadLabels(string line, int at, SortedDictionary<string, string> labels)
    {
        while (true)
        {
            if (at < line.Length && line[at] == '}')
                return at + 1;
            var eq = line.IndexOf('=', at);
            if (eq < 0)
                throw new FormatException("a label without =");
            var label = line[at..eq];
            if (!LabelName().IsMatch(label))
                throw new FormatException($"bad label name '{label}'");
            if (eq + 1 >= line.Length || line[eq + 1] != '"')
                throw new FormatException($"label {label}: value not quoted");
            var value = new StringBuilder();
            var i = eq + 2;
            for (; i < line.Length && line[i] != '"'; i++)
            {
                if (line[i] != '\\')
                {
                    value.Append(line[i]);
                    continue;
                }
                i++;
                value.Append(i < line.Length ? line[i] switch
                {
                    '\\' => '\\',
                    '"' => '"',
                    'n' => '\n',
                    _ => throw new FormatException($"label {label}: bad escape \\{line[i]}"),
                } : throw new FormatException($"label {label}: escape at the end"));
            }
            if (i >= line.Length)
                throw new FormatException($"label {label}: unterminated value");
            if (!labels.TryAdd(label, value.ToString()))
                throw new FormatException($"label {label} twice");
            at = i + 1;
            if (at < line.Length && line[at] == ',')
                at++;
            else if (at >= line.Length || line[at] != '}')
                throw new FormatException("labels not separated by commas");
        }
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"bad value '{text}'"),
    };

    private static MetricFamily? FamilyOf(string sample, Dictionary<string, MetricFamily> families)
    {
        if (families.TryGetValue(sample, out var family))
            return family;
        foreach (var suffix in (string[])["_bucket", "_sum", "_count"])
        {
            if (sample.EndsWith(suffix, StringComparison.Ordinal) && families.TryGetValue(sample[..^suffix.Length], out family) && family.Type is "histogram" or "summary")
                return family;
        }
        return null;
    }

    private static void CheckHistogram(MetricFamily family)
    {
        foreach (var series in family.Samples.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal))
                     .GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").Select(l => $"{l.Key}={l.Value}"))))
        {
            var buckets = series.Select(s => (Le: ParseValue(s.Labels["le"]), s.Value)).ToList();
            if (!double.IsPositiveInfinity(buckets[^1].Le))
                throw new FormatException($"{family.Name}: the last bucket is not +Inf");
            for (var i = 1; i < buckets.Count; i++)
            {
                if (buckets[i].Le <= buckets[i - 1].Le || buckets[i].Value < buckets[i - 1].Value)
                    throw new FormatException($"{family.Name}: buckets out of order or decreasing");
            }
        }
    }

    /// <summary>HELP text escapes only backslash and line feed.</summary>
    private static string UnescapeHelp(string text)
    {
        var help = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '\\' or 'n')
                help.Append(text[++i] == 'n' ? '\n' : '\\');
            else if (text[i] == '\\')
                throw new FormatException($"HELP: bad escape at {i}");
            else
                help.Append(text[i]);
        }
        return help.ToString();
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();
}

public sealed class MetricFamily(string name)
{
    public string Name { get; } = name;
    public string? Help { get; set; }
    public string? Type { get; set; }
    public List<Sample> Samples { get; } = [];

    /// <summary>The value of the one sample named <paramref name="sample"/> (the family's own name by default) whose labels include <paramref name="labels"/>; 0 when none.</summary>
    public double Value(string? sample = null, params (string Key, string Value)[] labels) =>
        Samples.Where(s => s.Name == (sample ?? Name) && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);
}

public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
