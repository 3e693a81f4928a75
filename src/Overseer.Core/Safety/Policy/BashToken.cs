namespace Overseer.Core.Safety.Policy;

/// <summary>A lexed word (quotes removed, expansions applied) or an operator (<c>|</c>, <c>&amp;&amp;</c>, <c>&gt;</c>, <c>(</c>, newline...).</summary>
internal readonly record struct BashToken(bool IsOperator, string Text, bool Quoted)
{
    public static readonly string[] RedirectOperators = [">", ">>", ">|", "<", "<>", "&>", "&>>", ">&", "<&", "<<", "<<-", "<<<"];

    public bool IsRedirect => IsOperator && RedirectOperators.Contains(Text);

    public bool IsWord(string text) => !IsOperator && !Quoted && Text == text;
}
