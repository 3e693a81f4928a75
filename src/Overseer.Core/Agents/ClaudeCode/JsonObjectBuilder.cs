using System.Text.Json;

namespace Overseer.Core.Agents.ClaudeCode;

/// <summary>Builds a small JSON object for event data without a record type per shape.</summary>
internal sealed class JsonObjectBuilder
{
    private readonly MemoryStream _buffer = new();
    private readonly Utf8JsonWriter _writer;

    public JsonObjectBuilder()
    {
        _writer = new Utf8JsonWriter(_buffer);
        _writer.WriteStartObject();
    }

    public JsonObjectBuilder Add(string name, long value)
    {
        _writer.WriteNumber(name, value);
        return this;
    }

    public JsonObjectBuilder Add(string name, string? value)
    {
        if (value is not null)
            _writer.WriteString(name, value);
        return this;
    }

    public JsonObjectBuilder Add(string name, bool value)
    {
        _writer.WriteBoolean(name, value);
        return this;
    }

    public JsonObjectBuilder Add(string name, JsonElement? value)
    {
        if (value is { } element)
        {
            _writer.WritePropertyName(name);
            element.WriteTo(_writer);
        }
        return this;
    }

    public JsonElement Build()
    {
        _writer.WriteEndObject();
        _writer.Flush();
        return JsonDocument.Parse(_buffer.ToArray()).RootElement;
    }
}
