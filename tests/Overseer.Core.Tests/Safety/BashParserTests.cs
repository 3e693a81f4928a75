using Overseer.Core.Safety.Policy;

namespace Overseer.Core.Tests.Safety;

public sealed class BashParserTests
{
    private static readonly BashExpansion Expansion = new("/home/me", "/work/p");

    [Fact]
    public void Parse_ListsAndPipelines_FlattensEverySimpleCommand()
    {
        var parse = BashParser.Parse("a 1 | b && c || d; e & f\ng", Expansion);

        parse.Commands.Select(c => c.Argv[0]).ShouldBe(["a", "b", "c", "d", "e", "f", "g"]);
        parse.Incomplete.ShouldBeFalse();
    }

    [Fact]
    public void Parse_QuotesAndEscapes_RemovedIntoArgv()
    {
        var parse = BashParser.Parse("rm -r\\f \"/a b\" 'c d' $'\\x2f'", Expansion);

        parse.Commands.ShouldHaveSingleItem().Argv.ShouldBe(["rm", "-rf", "/a b", "c d", "/"]);
    }

    [Theory]
    [InlineData("$'\\u002fetc'", "/etc")]
    [InlineData("$'\\U0000002fetc'", "/etc")]
    [InlineData("$'\\057etc'", "/etc")]
    [InlineData("$'\\x2fetc'", "/etc")]
    [InlineData("$'a\\tb'", "a\tb")]
    [InlineData("$'\\cA'", "\u0001")]
    [InlineData("$'it\\'s'", "it's")]
    [InlineData("$'\\q'", "\\q")]
    public void Parse_AnsiCQuoting_DecodesEveryEscape(string word, string expected)
    {
        var parse = BashParser.Parse($"cat {word}", Expansion);

        parse.Commands.ShouldHaveSingleItem().Argv.ShouldBe(["cat", expected]);
    }

    [Theory]
    [InlineData("touch {a,b}.txt", new[] { "touch", "a.txt", "b.txt" })]
    [InlineData("cat {~/.bashrc,}", new[] { "cat", "/home/me/.bashrc" })]
    [InlineData("cat x{1,{2,3}}", new[] { "cat", "x1", "x2", "x3" })]
    [InlineData("cat '{a,b}' \\{c,d}", new[] { "cat", "{a,b}", "{c,d}" })]
    [InlineData("find . -exec cat {} +", new[] { "find", ".", "-exec", "cat", "{}", "+" })]
    [InlineData("echo a~b", new[] { "echo", "a~b" })]
    public void Parse_BraceExpansion_MakesTheWordsBashMakes(string command, string[] argv)
    {
        var parse = BashParser.Parse(command, Expansion);

        parse.Commands.ShouldHaveSingleItem().Argv.ShouldBe(argv);
    }

    [Fact]
    public void Parse_BraceGroup_IsStillAGroup()
    {
        var parse = BashParser.Parse("{ echo a; echo b; }", Expansion);

        parse.Commands.Select(c => c.Argv[0]).ShouldBe(["echo", "echo"]);
        parse.Incomplete.ShouldBeFalse();
    }

    [Fact]
    public void Parse_EnvPrefixAndRedirects_AreSeparated()
    {
        var command = BashParser.Parse("FOO=1 BAR=2 cmd x > out.txt 2>&1 < in", Expansion).Commands.ShouldHaveSingleItem();

        command.EnvAssignments.ShouldBe(["FOO=1", "BAR=2"]);
        command.Argv.ShouldBe(["cmd", "x"]);
        command.Redirects.ShouldBe([new Redirect(">", "out.txt"), new Redirect(">&", "1"), new Redirect("<", "in")]);
    }

    [Fact]
    public void Parse_Substitutions_AreParsedAndMarkedUnknown()
    {
        var parse = BashParser.Parse("echo $(id) `date` <(ls) $X ${Y} ~ $HOME", Expansion);

        parse.Commands.Select(c => c.Argv[0]).ShouldBe(["echo", "id", "date", "ls"]);
        var echo = parse.Commands[0].Argv;
        echo.Skip(1).Take(5).ShouldAllBe(a => BashParse.IsDynamic(a));
        echo[6].ShouldBe("/home/me");
        echo[7].ShouldBe("/home/me");
    }

    [Fact]
    public void Parse_ForkBomb_RecordsConcurrentSelfCalls()
    {
        var parse = BashParser.Parse(":(){ :|:& };:", Expansion);

        parse.Functions.ShouldHaveSingleItem().ShouldBe(new FunctionDefinition(":", 2, true));
    }

    [Theory]
    [InlineData("echo 'open")]
    [InlineData("echo \"open")]
    [InlineData("echo $(open")]
    [InlineData("a &&")]
    [InlineData("(a")]
    [InlineData("a )")]
    [InlineData("cat <<EOF\nno end")]
    public void Parse_BrokenInput_IsIncomplete(string command)
    {
        BashParser.Parse(command, Expansion).Incomplete.ShouldBeTrue();
    }
}
