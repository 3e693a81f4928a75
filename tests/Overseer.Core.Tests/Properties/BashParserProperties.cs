using CsCheck;
using Overseer.Core.Safety.Policy;

namespace Overseer.Core.Tests.Properties;

public sealed class BashParserProperties
{
    [Fact]
    public void Parse_AnyString_ReturnsAParseAndNeverThrows()
    {
        Gens.AnyString.Check(command =>
        {
            var parse = BashParser.Parse(command);
            parse.ShouldNotBeNull();
            parse.Commands.ShouldAllBe(c => c.Argv != null);
        });
    }

    [Fact]
    public void Parse_SingleQuotedWord_LexesBackToTheSameWord()
    {
        // Inside single quotes nothing is special, so any text without a quote (and without the
        // parser's own marker for unknown values) must come back as one literal argument.
        var words = Gens.AnyChar.Where(c => c is not '\'' and not BashParse.Unknown).Array[0, 30].Select(chars => new string(chars));
        words.Check(word =>
        {
            var parse = BashParser.Parse($"echo '{word}'");
            parse.Error.ShouldBeNull();
            parse.Commands.ShouldHaveSingleItem().Argv.ShouldBe(["echo", word]);
        });
    }

    [Fact]
    public void Parse_WordsJoinedBySemicolons_KeepsEveryCommand()
    {
        // Prefixed so no name is a reserved word (if, do, fi, ...).
        var word = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789_"].Array[1, 8].Select(chars => "x_" + new string(chars));
        word.Array[1, 6].Check(names =>
        {
            var parse = BashParser.Parse(string.Join("; ", names));
            parse.Commands.Select(c => c.Argv[0]).ShouldBe(names);
        });
    }
}
