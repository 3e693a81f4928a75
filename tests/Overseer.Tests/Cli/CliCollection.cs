namespace Overseer.Tests.Cli;

/// <summary>Every CLI test class shares one server: starting servers and dotnet processes is the slow part.</summary>
[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<CliFixture>
{
    public const string Name = "cli";
}
