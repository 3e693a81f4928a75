using Overseer.Core.Agents.Router;

namespace Overseer.Core.Tests.AgentLoop;

/// <summary>The router's intent classifier: overrides, then rules in order, then the cost preference.</summary>
public sealed class RoutePolicyTests
{
    private static RouterOptions Options(string prefer = "default") => new()
    {
        Routes = new(StringComparer.Ordinal)
        {
            ["local"] = new() { Runtime = "openai", Model = "qwen2.5-coder:7b" },
            ["claude"] = new() { Runtime = "anthropic" },
            ["haiku"] = new() { Runtime = "anthropic", Model = "claude-haiku-4-5" },
        },
        Default = "local",
        Prefer = prefer,
        Rules =
        [
            new() { Target = "claude", NeedsTools = true },
            new() { Target = "haiku", Keywords = ["summarise", "translate"] },
            new() { Target = "claude", MinLength = 500 },
        ],
    };

    private static decimal? Cost(string route) => route switch { "local" => 0m, "claude" => 18m, "haiku" => 6m, _ => null };

    [Theory]
    [InlineData("What is the capital of France?", "local", "no rule matched; the default route")]
    [InlineData("Fix the failing test", "claude", "rule 1: needs tools ('fix')")]
    [InlineData("Why does src/Overseer/Program.cs start twice?", "claude", "rule 1: needs tools (the file src/Overseer/Program.cs)")]
    [InlineData("What does this print?\n```\nprint(1)\n```", "claude", "rule 1: needs tools (a code block)")]
    [InlineData("Please SUMMARISE this thread", "haiku", "rule 2: the keyword 'summarise'")]
    [InlineData("Is a prefix like summarisefoo a keyword?", "local", "no rule matched; the default route")]
    [InlineData("@claude what is 2+2?", "claude", "override @claude in the message")]
    [InlineData("@nobody what is 2+2?", "local", "no rule matched; the default route")]
    public void Choose_PicksTheRouteAndSaysWhy(string message, string route, string reason) =>
        RoutePolicy.Choose(message, Options(), Cost).ShouldBe(new RouteChoice(route, reason));

    [Fact]
    public void LongQuestion_MatchesTheLengthRule()
    {
        var message = "Why is the sky blue? " + new string('?', 600);
        RoutePolicy.Choose(message, Options(), Cost).ShouldBe(new RouteChoice("claude", $"rule 3: {message.Length} characters (at least 500)"));
    }

    [Fact]
    public void PreferCheapest_WithoutAMatchingRule_TakesTheCheapestPricedRoute()
    {
        var options = Options("cheapest");
        options.Default = "claude";
        RoutePolicy.Choose("What is the capital of France?", options, Cost).ShouldBe(new RouteChoice("local", "no rule matched; the cheapest route (0 $ per million tokens)"));
    }

    [Fact]
    public void Overrides_AreTakenOffTheMessage_OnlyWhenTheyNameARoute_AndCanBeTurnedOff()
    {
        var options = Options();
        RoutePolicy.WithoutOverride("@claude  what is 2+2?", options).ShouldBe("what is 2+2?");
        RoutePolicy.WithoutOverride("@nobody what is 2+2?", options).ShouldBe("@nobody what is 2+2?");
        options.AllowOverrides = false;
        RoutePolicy.Choose("@claude what is 2+2?", options, Cost).Route.ShouldBe("local");
    }

    [Theory]
    [InlineData("Runtimes:Router:Default", "Runtimes:Router:Default names no route: 'cloud' (routes: local, claude, haiku).")]
    [InlineData("Runtimes:Router:Rules:0:Target", "Runtimes:Router:Rules:0:Target names no route: 'cloud'.")]
    [InlineData("Runtimes:Router:Fallback", "Runtimes:Router:Fallback names no route: 'cloud'.")]
    public void Problem_NamesTheSettingThatNamesNoRoute(string setting, string problem)
    {
        var options = Options();
        switch (setting)
        {
            case "Runtimes:Router:Default":
                options.Default = "cloud";
                break;
            case "Runtimes:Router:Rules:0:Target":
                options.Rules[0].Target = "cloud";
                break;
            default:
                options.Fallback = ["local", "cloud"];
                break;
        }
        options.Problem().ShouldBe(problem);
    }

    [Fact]
    public void Problem_RefusesARouteOnAnotherRouter_AndABadPattern()
    {
        var options = Options();
        options.Routes["loop"] = new() { Runtime = "router" };
        options.Problem().ShouldBe("Runtimes:Router:Routes:loop:Runtime must be anthropic or openai; it is 'router'.");
        options = Options();
        options.Rules.Add(new() { Target = "local", Pattern = "([" });
        options.Problem().ShouldNotBeNull().ShouldStartWith("Runtimes:Router:Rules:3:Pattern is no regular expression:");
        Options().Problem().ShouldBeNull();
    }
}
