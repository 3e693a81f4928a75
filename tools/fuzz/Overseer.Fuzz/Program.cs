using System.Text;
using System.Text.Json;
using Overseer.Contracts.WebSockets;
using Overseer.Core.Agents.ClaudeCode;
using Overseer.Core.Agents.Scripted;
using Overseer.Core.Interaction.TextProtocol;
using Overseer.Core.Safety.Policy;
using SharpFuzz;

namespace Overseer.Fuzz;

/// <summary>
/// afl++ targets for the parsers that read untrusted text (tools/fuzz/README.md). Each target catches the
/// parser's documented failures; any other exception escapes, and afl++ records the input as a crash.
/// <c>Overseer.Fuzz TARGET</c> runs under afl-fuzz (persistent mode);
/// <c>Overseer.Fuzz TARGET --replay FILE...</c> runs saved inputs once each and prints what they throw.
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, Action<byte[]>> Targets = new(StringComparer.Ordinal)
    {
        ["bash"] = Bash,
        ["policy"] = Policy,
        ["stream-json"] = StreamJson,
        ["script"] = Script,
        ["text-protocol"] = TextProtocol,
        ["ws"] = Ws,
    };

    private static int Main(string[] args)
    {
        if (args.Length == 0 || !Targets.TryGetValue(args[0], out var target))
        {
            Console.Error.WriteLine($"usage: Overseer.Fuzz <{string.Join('|', Targets.Keys)}> [--replay FILE...]");
            return 2;
        }
        if (args.Length > 1 && args[1] == "--replay")
            return Replay(target, args.Skip(2));
        Fuzzer.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target(buffer.ToArray());
        });
        return 0;
    }

    private static int Replay(Action<byte[]> target, IEnumerable<string> files)
    {
        var failed = 0;
        foreach (var file in files)
        {
            try
            {
                target(File.ReadAllBytes(file));
                Console.WriteLine($"ok     {file}");
            }
#pragma warning disable CA1031 // replay reports every exception, that is its job
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failed++;
                Console.WriteLine($"CRASH  {file}\n{ex}");
            }
        }
        return failed == 0 ? 0 : 1;
    }

    // Invalid UTF-8 becomes U+FFFD, as it does where the server decodes text.
    private static string Text(byte[] data) => Encoding.UTF8.GetString(data);

    private static void Bash(byte[] data)
    {
        var text = Text(data);
        BashParser.Parse(text);
        BashParser.Parse(text, BashExpansion.Current);
    }

    private static readonly Lazy<(PolicyEngine Engine, PolicyContext Context)> PolicySetup = new(() =>
    {
        var root = Path.Combine(Path.GetTempPath(), $"overseer-fuzz-{Environment.ProcessId}");
        var project = Path.Combine(root, "project");
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(project);
        Directory.CreateDirectory(data);
        Directory.CreateDirectory(Path.Combine(root, "home"));
        return (new PolicyEngine(PolicyLoader.Default), new PolicyContext(project, data, Path.Combine(root, "home")));
    });

    /// <summary>
    /// Input: the tool name on the first line, its JSON input after it. When the rest is not JSON it is
    /// taken as a Bash command (so plain command lines in the corpus reach the classifier too).
    /// </summary>
    private static void Policy(byte[] data)
    {
        var (engine, context) = PolicySetup.Value;
        var newline = Array.IndexOf(data, (byte)'\n');
        string tool;
        byte[] rest;
        if (newline < 0)
        {
            tool = "Bash";
            rest = data;
        }
        else
        {
            tool = Text(data[..newline]);
            rest = data[(newline + 1)..];
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(rest);
        }
        catch (JsonException)
        {
            tool = "Bash";
            document = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(new { command = Text(rest) }));
        }
        using (document)
            engine.Evaluate(tool, document.RootElement, context);
    }

    /// <summary>Each line is one stdout line of the CLI (the parser never throws, documented).</summary>
    private static void StreamJson(byte[] data)
    {
        var memory = data.AsMemory();
        while (true)
        {
            var newline = memory.Span.IndexOf((byte)'\n');
            var line = newline < 0 ? memory : memory[..newline];
            ClaudeMessageParser.ParseLine(line);
            if (newline < 0)
                break;
            memory = memory[(newline + 1)..];
        }
    }

    private static void Script(byte[] data)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(data);
        }
        catch (JsonException)
        {
            return; // the caller's JSON error, before the script parser
        }
        using (document)
        {
            try
            {
                ScriptParser.Parse(document.RootElement);
            }
            catch (ScriptException)
            {
                // the documented failure: a message naming the bad step
            }
        }
    }

    /// <summary>A NUL byte splits the input into the chunks fed one by one (chunks may split anything).</summary>
    private static void TextProtocol(byte[] data)
    {
        var scanner = new TextProtocolScanner();
        foreach (var chunk in Text(data).Split('\0'))
            scanner.Feed(chunk);
        scanner.Flush();
    }

    private static void Ws(byte[] data)
    {
        var incoming = WsMessageReader.Read(data);
        incoming.Document?.Dispose();
    }
}
