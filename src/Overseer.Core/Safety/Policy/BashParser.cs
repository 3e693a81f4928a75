namespace Overseer.Core.Safety.Policy;

/// <summary>
/// Parses a shell command line into the simple commands it would run, flattened from every level:
/// lists and pipelines (<c>; &amp; &amp;&amp; || |</c>, newlines), subshells, <c>{ }</c> groups, control keywords,
/// function bodies, and (through <see cref="BashLexer"/>) substitutions. It never runs anything.
/// </summary>
public static class BashParser
{
    /// <summary>Deeper nesting than this is treated as unparseable rather than followed forever.</summary>
    public const int MaxDepth = 8;

    private static readonly HashSet<string> Keywords = ["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "esac", "in"];

    public static BashParse Parse(string command) => Parse(command, BashExpansion.Current, 0);

    public static BashParse Parse(string command, BashExpansion expansion) => Parse(command, expansion, 0);

    internal static BashParse Parse(string command, BashExpansion expansion, int depth)
    {
        if (depth > MaxDepth)
            return new BashParse([], [], true, "nested too deeply");
        var lexer = new BashLexer(command, expansion, depth);
        var tokens = lexer.Tokenize();
        var builder = new Builder();
        builder.Parse(tokens, 0, tokens.Count);
        foreach (var nested in lexer.Nested)
        {
            builder.Commands.AddRange(nested.Commands);
            builder.Functions.AddRange(nested.Functions);
            if (nested.Incomplete)
                builder.Fail(nested.Error ?? "incomplete");
        }
        if (lexer.Incomplete)
            builder.Fail(lexer.Error ?? "incomplete");
        return new BashParse(builder.Commands, builder.Functions, builder.Incomplete, builder.Error);
    }

    private sealed class Builder
    {
        private readonly List<string> _argv = [];
        private readonly List<string> _env = [];
        private readonly List<Redirect> _redirects = [];

        public List<SimpleCommand> Commands { get; } = [];

        public List<FunctionDefinition> Functions { get; } = [];

        public bool Incomplete { get; private set; }

        public string? Error { get; private set; }

        public void Fail(string error)
        {
            Incomplete = true;
            Error ??= error;
        }

        public void Parse(List<BashToken> tokens, int start, int end)
        {
            var parens = 0;
            var continuation = false;
            var inCase = false;
            for (var i = start; i < end; i++)
            {
                var token = tokens[i];
                if (token.IsRedirect)
                {
                    if (i + 1 >= end || tokens[i + 1].IsOperator)
                    {
                        Fail($"redirection '{token.Text}' has no target");
                        continue;
                    }
                    _redirects.Add(new Redirect(token.Text, tokens[++i].Text));
                    continue;
                }
                if (token.IsOperator)
                {
                    if (token.Text == "(" && _argv.Count == 1 && _env.Count == 0 && i + 1 < end && tokens[i + 1].Text == ")" && tokens[i + 1].IsOperator)
                    {
                        i = DefineFunction(tokens, _argv[0], i + 2, end);
                        _argv.Clear();
                        continue;
                    }
                    Flush();
                    if (token.Text == "(")
                        parens++;
                    else if (token.Text == ")" && --parens < 0)
                    {
                        Fail("unmatched ')'");
                        parens = 0;
                    }
                    continuation = token.Text is "|" or "&&" or "||";
                    continue;
                }
                continuation = false;
                if (_argv.Count == 0 && !token.Quoted)
                {
                    if (token.Text is "{" or "}" || Keywords.Contains(token.Text))
                    {
                        if (token.Text == "esac")
                            inCase = false;
                        continue;
                    }
                    if (token.Text is "for" or "select" or "case")
                    {
                        // The loop variable / case word is not a command; "case x in" starts patterns "p)".
                        inCase |= token.Text == "case";
                        i = SkipHeader(tokens, i + 1, end);
                        continue;
                    }
                    if (token.Text == "function" && i + 1 < end && !tokens[i + 1].IsOperator)
                    {
                        var bodyStart = i + 2;
                        if (bodyStart + 1 < end && tokens[bodyStart].IsOperator && tokens[bodyStart].Text == "(" && tokens[bodyStart + 1].Text == ")")
                            bodyStart += 2;
                        i = DefineFunction(tokens, tokens[i + 1].Text, bodyStart, end);
                        continue;
                    }
                    if (inCase && IsCasePattern(tokens, i, end, out var patternEnd))
                    {
                        i = patternEnd;
                        continue;
                    }
                }
                if (_argv.Count == 0 && IsAssignment(token.Text))
                    _env.Add(token.Text);
                else
                    _argv.Add(token.Text);
            }
            Flush();
            if (parens > 0)
                Fail("missing ')'");
            if (continuation)
                Fail("command line ends with an operator");
        }

        private void Flush()
        {
            if (_argv.Count > 0 || _env.Count > 0 || _redirects.Count > 0)
                Commands.Add(new SimpleCommand([.. _argv], [.. _env], [.. _redirects]));
            _argv.Clear();
            _env.Clear();
            _redirects.Clear();
        }

        private static bool IsAssignment(string word)
        {
            var eq = word.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                return false;
            var name = word[..eq].TrimEnd('+');
            return name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        }

        private static int SkipHeader(List<BashToken> tokens, int i, int end)
        {
            // for NAME [in WORDS...] ; do   |   case WORD in
            i++;
            if (i < end && tokens[i].IsWord("in"))
            {
                i++;
                while (i < end && !tokens[i].IsOperator && !tokens[i].IsWord("do"))
                    i++;
            }
            return i - 1;
        }

        private static bool IsCasePattern(List<BashToken> tokens, int i, int end, out int patternEnd)
        {
            for (var j = i; j < end; j++)
            {
                if (tokens[j].IsOperator && tokens[j].Text == ")")
                {
                    patternEnd = j;
                    return true;
                }
                if (tokens[j].IsOperator && tokens[j].Text != "|")
                    break;
            }
            patternEnd = i;
            return false;
        }

        /// <summary>Parses a function body (a <c>{ }</c> group or a subshell) on its own to count self-calls, then keeps its commands too.</summary>
        private int DefineFunction(List<BashToken> tokens, string name, int i, int end)
        {
            while (i < end && tokens[i].IsOperator && tokens[i].Text == "\n")
                i++;
            if (i >= end)
            {
                Fail($"function {name} has no body");
                return end;
            }
            var brace = tokens[i].IsWord("{");
            if (!brace && !(tokens[i].IsOperator && tokens[i].Text == "("))
            {
                Fail($"function {name} has no body");
                return i - 1;
            }
            var level = 0;
            var close = i;
            for (; close < end; close++)
            {
                var t = tokens[close];
                if (brace ? t.IsWord("{") : t.IsOperator && t.Text == "(")
                    level++;
                else if ((brace ? t.IsWord("}") : t.IsOperator && t.Text == ")") && --level == 0)
                    break;
            }
            if (close >= end)
                Fail($"function {name} body is not closed");
            var body = new Builder();
            body.Parse(tokens, i + 1, Math.Min(close, end));
            var selfCalls = body.Commands.Count(c => c.Argv.Count > 0 && c.Argv[0] == name);
            var concurrent = tokens.Skip(i).Take(Math.Min(close, end) - i).Any(t => t.IsOperator && t.Text is "|" or "&");
            Functions.Add(new FunctionDefinition(name, selfCalls, concurrent));
            Functions.AddRange(body.Functions);
            Commands.AddRange(body.Commands);
            if (body.Incomplete)
                Fail(body.Error ?? "incomplete");
            return close;
        }
    }
}
