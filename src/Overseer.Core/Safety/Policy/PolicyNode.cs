using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Overseer.Core.Safety.Policy;

/// <summary>A policy document read from YAML or JSON, keeping line numbers so errors can point at the line.</summary>
internal sealed record PolicyNode(int Line, string? Scalar, IReadOnlyList<(string Key, PolicyNode Value)>? Map, IReadOnlyList<PolicyNode>? Sequence)
{
    public string Kind => Scalar is not null ? "a value" : Map is not null ? "a mapping" : Sequence is not null ? "a list" : "empty";

    public static PolicyNode FromYaml(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new PolicyFileException(file, (int)e.Start.Line, "", $"not valid YAML: {e.InnerException?.Message ?? e.Message}", e);
        }
        return stream.Documents.Count == 0 ? new PolicyNode(1, null, [], null) : Convert(stream.Documents[0].RootNode);
    }

    private static PolicyNode Convert(YamlNode node)
    {
        var line = (int)node.Start.Line;
        return node switch
        {
            YamlMappingNode map => new PolicyNode(line, null, [.. map.Children.Select(c => (((YamlScalarNode)c.Key).Value ?? "", Convert(c.Value)))], null),
            YamlSequenceNode seq => new PolicyNode(line, null, null, [.. seq.Children.Select(Convert)]),
            YamlScalarNode scalar => new PolicyNode(line, scalar.Value ?? "", null, null),
            _ => new PolicyNode(line, null, null, null),
        };
    }

    public static PolicyNode FromJson(string text, string file)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = new List<long> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n')
                lineStarts.Add(i + 1);
        }
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read())
                return new PolicyNode(1, null, [], null);
            return ReadJson(ref reader, lineStarts);
        }
        catch (JsonException e)
        {
            throw new PolicyFileException(file, (int)(e.LineNumber ?? 0) + 1, "", $"not valid JSON: {e.Message}", e);
        }
    }

    private static PolicyNode ReadJson(ref Utf8JsonReader reader, List<long> lineStarts)
    {
        var line = LineOf(reader.TokenStartIndex, lineStarts);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                {
                    var children = new List<(string, PolicyNode)>();
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var key = reader.GetString() ?? "";
                        reader.Read();
                        children.Add((key, ReadJson(ref reader, lineStarts)));
                    }
                    return new PolicyNode(line, null, children, null);
                }
            case JsonTokenType.StartArray:
                {
                    var items = new List<PolicyNode>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        items.Add(ReadJson(ref reader, lineStarts));
                    return new PolicyNode(line, null, null, items);
                }
            case JsonTokenType.String:
                return new PolicyNode(line, reader.GetString() ?? "", null, null);
            case JsonTokenType.Null:
                return new PolicyNode(line, null, null, null);
            default:
                return new PolicyNode(line, Encoding.UTF8.GetString(reader.ValueSpan), null, null);
        }
    }

    private static int LineOf(long offset, List<long> lineStarts)
    {
        var index = lineStarts.BinarySearch(offset);
        return (index >= 0 ? index : ~index - 1) + 1;
    }
}
