using System.Text;
using Overseer.Core.Sandbox;

namespace Overseer.Core.Tests.Sandbox;

/// <summary>The kernel's limit counters, read as the limit watch reads them.</summary>
public sealed class ResourceGroupCounterTests
{
    [Theory]
    [InlineData("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n", "oom_kill", 3)] // cgroup v1 memory.oom_control
    [InlineData("low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\n", "oom_kill", 2)] // cgroup v2 memory.events
    [InlineData("max 7", "max", 7)] // pids.events, no final newline
    [InlineData("max_depth 4\nmax 1\n", "max", 1)] // a longer key that starts with the wanted one
    [InlineData("oom 5\n", "oom_kill", 0)]
    [InlineData("", "max", 0)]
    [InlineData("max x\n", "max", 0)]
    public void CounterIn_FindsTheKeysValue(string text, string key, long expected) =>
        Assert.Equal(expected, ResourceGroup.CounterIn(Encoding.ASCII.GetBytes(text), key));
}
