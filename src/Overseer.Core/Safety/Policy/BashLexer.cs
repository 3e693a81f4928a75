using System.Text;

namespace Overseer.Core.Safety.Policy;

/// <summary>
/// Turns shell text into words and operators the way bash would: quotes and backslashes removed,
/// <c>~</c>, <c>$HOME</c> and <c>$PWD</c> expanded, every other expansion replaced by <see cref="BashParse.Unknown"/>.
/// Command substitutions, process substitutions and unquoted here-document bodies are parsed as commands of
/// their own (they run too) and collected in <see cref="Nested"/>.
/// </summary>
internal sealed class BashLexer(string text, BashExpansion expansion, int depth)
{
    private readonly List<BashToken> _tokens = [];
    private readonly List<(string Delimiter, bool Quoted, bool StripTabs)> _pendingHeredocs = [];
    private int _pos;
    private bool _heredocNext;
    private bool _heredocStripTabs;

    public List<BashParse> Nested { get; } = [];

    public bool Incomplete { get; private set; }

    public string? Error { get; private set; }

    public List<BashToken> Tokenize()
    {
        while (_pos < text.Length)
        {
            var c = text[_pos];
            if (c is ' ' or '\t' or '\r')
                _pos++;
            else if (c == '\\' && Peek(1) == '\n')
                _pos += 2;
            else if (c == '#')
                SkipComment();
            else if (c == '\n')
            {
                _pos++;
                _tokens.Add(new BashToken(true, "\n", false));
                ReadHeredocBodies();
            }
            else if ((c is '<' or '>') && Peek(1) == '(')
                AddWord(ReadWord());
            else if (TryReadOperator())
            {
            }
            else
                AddWord(ReadWord());
        }
        if (_pendingHeredocs.Count > 0)
            Fail("here-document is not terminated");
        return _tokens;
    }

    /// <summary>Expands a double-quoted-style body (here-document, arithmetic, <c>${...}</c>) only to find the commands it runs.</summary>
    public void ScanForSubstitutions()
    {
        var sb = new StringBuilder();
        var dynamic = false;
        while (_pos < text.Length)
        {
            var c = text[_pos];
            if (c == '\\')
                _pos += 2;
            else if (c == '$')
                ReadDollar(sb, ref dynamic);
            else if (c == '`')
                ReadBacktick(sb, ref dynamic);
            else
                _pos++;
        }
    }

    private char Peek(int offset) => _pos + offset < text.Length ? text[_pos + offset] : '\0';

    private void Fail(string error)
    {
        Incomplete = true;
        Error ??= error;
    }

    private void SkipComment()
    {
        while (_pos < text.Length && text[_pos] != '\n')
            _pos++;
    }

    private void AddWord((string Value, bool Quoted) word)
    {
        if (_heredocNext)
        {
            var delimiter = BashWords.Restore(word.Value);
            _tokens.Add(new BashToken(false, delimiter, word.Quoted));
            _pendingHeredocs.Add((delimiter, word.Quoted, _heredocStripTabs));
            _heredocNext = false;
            return;
        }
        // {a,b} becomes two words, as bash's brace expansion makes them.
        foreach (var expanded in BashWords.Expand(word.Value, expansion.Home))
            _tokens.Add(new BashToken(false, expanded, word.Quoted));
    }

    private bool TryReadOperator()
    {
        var start = _pos;
        while (_pos < text.Length && char.IsAsciiDigit(text[_pos]))
            _pos++;
        // Digits count as a file-descriptor prefix only right before a redirection ("2>"); otherwise they are a word.
        var fdPrefix = _pos > start;
        if (fdPrefix && !(Peek(0) is '<' or '>'))
        {
            _pos = start;
            return false;
        }
        string[] operators = fdPrefix
            ? ["<<<", "<<-", "&>>", ">>", ">|", "<>", ">&", "<&", "<<", ">", "<"]
            : ["<<<", "<<-", "&>>", ";;&", "&&", "||", "|&", ";;", ";&", ">>", ">|", "<>", "&>", ">&", "<&", "<<", "|", "&", ";", "(", ")", ">", "<"];
        foreach (var op in operators)
        {
            if (string.CompareOrdinal(text, _pos, op, 0, op.Length) != 0)
                continue;
            _pos += op.Length;
            var normalized = op switch { "|&" => "|", ";;" or ";&" or ";;&" => ";", _ => op };
            _tokens.Add(new BashToken(true, normalized, false));
            if (op is "<<" or "<<-")
            {
                _heredocNext = true;
                _heredocStripTabs = op == "<<-";
            }
            return true;
        }
        _pos = start;
        return false;
    }

    private static bool IsMeta(char c) => c is ' ' or '\t' or '\r' or '\n' or '|' or '&' or ';' or '(' or ')' or '<' or '>';

    private (string Value, bool Quoted) ReadWord()
    {
        var sb = new StringBuilder();
        var quoted = false;
        var dynamic = false;
        var start = _pos;
        while (_pos < text.Length)
        {
            var c = text[_pos];
            if (_pos == start && (c is '<' or '>') && Peek(1) == '(')
            {
                // Process substitution: the command runs; the word becomes a /dev/fd path nobody can know.
                _pos += 2;
                ParseNested(ReadBalanced(')'));
                sb.Append(BashParse.Unknown);
                continue;
            }
            if (IsMeta(c))
                break;
            switch (c)
            {
                case '\\':
                    quoted = true;
                    if (Peek(1) == '\n')
                        _pos += 2;
                    else
                    {
                        if (_pos + 1 < text.Length)
                            sb.Append(text[_pos + 1]);
                        _pos += 2;
                    }
                    break;
                case '\'':
                    quoted = true;
                    _pos++;
                    ReadUntil(sb, '\'');
                    break;
                case '"':
                    quoted = true;
                    _pos++;
                    ReadDoubleQuoted(sb, ref dynamic);
                    break;
                case '$':
                    if (Peek(1) is '\'' or '"')
                        quoted = true;
                    ReadDollar(sb, ref dynamic);
                    break;
                case '`':
                    ReadBacktick(sb, ref dynamic);
                    break;
                case '~' when _pos == start:
                    ReadTilde(sb);
                    break;
                // Unquoted, these may expand after the word is read (braces, a tilde at the start of an alternative).
                case '{' or ',' or '}' or '~':
                    sb.Append(c switch { '{' => BashWords.Open, ',' => BashWords.Comma, '}' => BashWords.Close, _ => BashWords.Tilde });
                    _pos++;
                    break;
                default:
                    sb.Append(c);
                    _pos++;
                    break;
            }
        }
        return (sb.ToString(), quoted);
    }

    private void ReadTilde(StringBuilder sb)
    {
        _pos++;
        var next = Peek(0);
        if (next == '\0' || next == '/' || IsMeta(next))
            sb.Append(expansion.Home);
        else if (next == '+' && (Peek(1) == '/' || Peek(1) == '\0' || IsMeta(Peek(1))))
        {
            sb.Append(expansion.Project);
            _pos++;
        }
        else
        {
            // ~user: somebody's home directory; where it is is not known here.
            sb.Append(BashParse.Unknown);
            while (_pos < text.Length && text[_pos] != '/' && !IsMeta(text[_pos]))
                _pos++;
        }
    }

    private void ReadUntil(StringBuilder sb, char end)
    {
        var close = text.IndexOf(end, _pos);
        if (close < 0)
        {
            Fail($"unterminated {end} quote");
            sb.Append(text, _pos, text.Length - _pos);
            _pos = text.Length;
            return;
        }
        sb.Append(text, _pos, close - _pos);
        _pos = close + 1;
    }

    private void ReadDoubleQuoted(StringBuilder sb, ref bool dynamic)
    {
        while (_pos < text.Length)
        {
            var c = text[_pos];
            if (c == '"')
            {
                _pos++;
                return;
            }
            if (c == '\\')
            {
                var next = Peek(1);
                if (next is '$' or '`' or '"' or '\\')
                    sb.Append(next);
                else if (next != '\n')
                    sb.Append('\\').Append(next);
                _pos += 2;
            }
            else if (c == '$')
                ReadDollar(sb, ref dynamic);
            else if (c == '`')
                ReadBacktick(sb, ref dynamic);
            else
            {
                sb.Append(c);
                _pos++;
            }
        }
        Fail("unterminated \" quote");
    }

    private void ReadDollar(StringBuilder sb, ref bool dynamic)
    {
        var next = Peek(1);
        if (next == '(' && Peek(2) == '(')
        {
            _pos += 3;
            ScanNested(ReadBalanced(')'));
            if (Peek(0) == ')')
                _pos++;
            AppendUnknown(sb, ref dynamic);
        }
        else if (next == '(')
        {
            _pos += 2;
            ParseNested(ReadBalanced(')'));
            AppendUnknown(sb, ref dynamic);
        }
        else if (next == '{')
        {
            _pos += 2;
            var body = ReadBalanced('}');
            var value = expansion.Lookup(body);
            if (value is null)
            {
                ScanNested(body);
                AppendUnknown(sb, ref dynamic);
            }
            else
                sb.Append(value);
        }
        else if (next == '\'')
        {
            _pos += 2;
            ReadAnsiC(sb);
        }
        else if (next == '"')
        {
            _pos += 2;
            ReadDoubleQuoted(sb, ref dynamic);
        }
        else if (char.IsAsciiLetter(next) || next == '_')
        {
            var start = ++_pos;
            while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] == '_'))
                _pos++;
            var value = expansion.Lookup(text[start.._pos]);
            if (value is null)
                AppendUnknown(sb, ref dynamic);
            else
                sb.Append(value);
        }
        else if (char.IsAsciiDigit(next) || next is '@' or '*' or '#' or '?' or '$' or '!' or '-')
        {
            _pos += 2;
            AppendUnknown(sb, ref dynamic);
        }
        else
        {
            sb.Append('$');
            _pos++;
        }
    }

    private static void AppendUnknown(StringBuilder sb, ref bool dynamic)
    {
        sb.Append(BashParse.Unknown);
        dynamic = true;
    }

    private void ReadBacktick(StringBuilder sb, ref bool dynamic)
    {
        _pos++;
        var body = new StringBuilder();
        while (_pos < text.Length && text[_pos] != '`')
        {
            if (text[_pos] == '\\' && Peek(1) is '`' or '\\' or '$')
            {
                body.Append(text[_pos + 1]);
                _pos += 2;
            }
            else
                body.Append(text[_pos++]);
        }
        if (_pos >= text.Length)
            Fail("unterminated backtick");
        else
            _pos++;
        ParseNested(body.ToString());
        AppendUnknown(sb, ref dynamic);
    }

    /// <summary>Reads up to the matching close bracket (quotes and nesting respected) and returns the text inside; the position ends after it.</summary>
    private string ReadBalanced(char close)
    {
        var (inner, closed) = BashScan.Balanced(text, ref _pos, close);
        if (!closed)
            Fail($"missing '{close}'");
        return inner;
    }

    private void ReadAnsiC(StringBuilder sb)
    {
        if (!BashWords.ReadAnsiC(text, ref _pos, sb))
            Fail("unterminated $' quote");
    }

    private void ReadHeredocBodies()
    {
        foreach (var (delimiter, quotedDelimiter, stripTabs) in _pendingHeredocs)
        {
            var (body, terminated) = BashScan.HeredocBody(text, ref _pos, delimiter, stripTabs);
            if (!terminated)
                Fail("here-document is not terminated");
            // An unquoted delimiter means the body is expanded, so $(...) in it runs.
            if (!quotedDelimiter)
                ScanNested(body);
        }
        _pendingHeredocs.Clear();
    }

    private void ParseNested(string body) => Nested.Add(BashParser.Parse(body, expansion, depth + 1));

    private void ScanNested(string body)
    {
        var lexer = new BashLexer(body, expansion, depth + 1);
        lexer.ScanForSubstitutions();
        Nested.AddRange(lexer.Nested);
        if (lexer.Incomplete)
            Fail(lexer.Error ?? "incomplete");
    }
}
