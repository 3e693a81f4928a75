using System.Text;
using System.Text.Json;
using CsCheck;
using Overseer.Contracts.WebSockets;

namespace Overseer.Core.Tests.Properties;

public sealed class WsMessageReaderProperties
{
    private static readonly string[] Valid =
    [
        "{\"type\":\"ping\",\"id\":\"r1\"}",
        "{\"type\":\"execute\",\"id\":\"r2\",\"projectId\":\"p_1\",\"prompt\":\"go\",\"script\":[{\"say\":\"hi\"}]}",
        "{\"type\":\"auth\",\"token\":\"ovs_abc\"}",
    ];

    /// <summary>Raw bytes, and valid messages with bytes overwritten, inserted or cut — closer to what a fuzzer sends.</summary>
    private static readonly Gen<byte[]> Frames = Gen.Frequency(
        (1, (IGen<byte[]>)Gen.Byte.Array[0, 64]),
        (3, Gen.Select(Gen.OneOf(Valid), Gen.Select(Gen.Int[0, 200], Gen.Byte, Gen.Int[0, 2]).Array[1, 4]).Select(pair =>
        {
            var bytes = Encoding.UTF8.GetBytes(pair.Item1).ToList();
            foreach (var (at, value, how) in pair.Item2)
            {
                var i = at % (bytes.Count + 1);
                if (how == 0 && i < bytes.Count)
                    bytes[i] = value;
                else if (how == 1)
                    bytes.Insert(i, value);
                else if (i < bytes.Count)
                    bytes.RemoveAt(i);
            }
            return bytes.ToArray();
        })),
        (2, Gen.Select(Gens.AnyString, Gens.AnyString).Select((id, type) =>
            Encoding.UTF8.GetBytes($"{{\"id\":{Gens.JsonLiteral(id)},\"type\":{Gens.JsonLiteral(type)},\"name\":{Gens.JsonLiteral(id + type)}}}"))));

    [Fact]
    public void Read_AnyBytes_ReturnsAMessageOrAnErrorNeverThrows()
    {
        Frames.Check(bytes =>
        {
            var incoming = WsMessageReader.Read(bytes);
            if (incoming.IsError)
            {
                incoming.Document.ShouldBeNull();
                incoming.Error.ShouldNotBeNullOrEmpty();
                return;
            }
            using var document = incoming.Document.ShouldNotBeNull();
            incoming.Type.ShouldNotBeNullOrEmpty();
            // What the reader lets through, a handler can read: every string decodes.
            ReadAllStrings(document.RootElement);
        });
    }

    private static void ReadAllStrings(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                element.GetString();
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    ReadAllStrings(item);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    ReadAllStrings(property.Value);
                }
                break;
        }
    }
}
