using Overseer.Core.Safety.Policy;

namespace Overseer.Core.Tests.Safety;

/// <summary>Glob words bash would take literally never break the classifier (found by the property tests).</summary>
public sealed class GlobEdgeTests : IDisposable
{
    private readonly PolicySandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Theory]
    [InlineData("cat [")]
    [InlineData("cat a[")]
    [InlineData("ls [z-a]")]
    [InlineData("rm src/[")]
    public void Evaluate_GlobBashTakesLiterally_ReturnsADecision(string command)
    {
        var decision = _sandbox.Evaluate(new PolicyEngine(PolicyLoader.Default), "Bash", command);

        Assert.NotNull(decision.Reason);
    }
}
