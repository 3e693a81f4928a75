using static Overseer.Hosting.IdleMemoryTrim;

namespace Overseer.Tests;

/// <summary>The idle trim's decision (issue 12, item 5): once per burst, only after the server has been quiet for a while.</summary>
public sealed class IdleMemoryTrimTests
{
    private const long Mb = 1024 * 1024;
    private static readonly int QuietTicks = (int)(QuietTime / Tick);
    private static readonly long[] Burst = Enumerable.Repeat(100 * Mb, 3).ToArray(); // 300 MB, over BurstBytes
    private static readonly long[] Quiet = Enumerable.Repeat(Mb / 2, QuietTicks * 3).ToArray();

    private static List<bool> Run(params IEnumerable<long> ticks)
    {
        var state = new State(0, 0);
        var trims = new List<bool>();
        foreach (var allocated in ticks)
        {
            (var trim, state) = Decide(state, allocated);
            trims.Add(trim);
        }
        return trims;
    }

    [Fact]
    public void Decide_QuietAfterBurst_TrimsOnceAfterQuietTime()
    {
        var trims = Run([.. Burst, .. Quiet]);

        trims.Count(t => t).ShouldBe(1);
        trims.IndexOf(true).ShouldBe(Burst.Length + QuietTicks - 1);
    }

    [Fact]
    public void Decide_AlwaysBusy_NeverTrims() =>
        Run(Enumerable.Repeat(100 * Mb, 50)).ShouldAllBe(t => !t);

    [Fact]
    public void Decide_IdleSinceStart_NeverTrims() =>
        Run(Enumerable.Repeat(Mb, 10_000)).ShouldAllBe(t => !t);

    [Fact]
    public void Decide_SmallBurst_DoesNotTrim() =>
        Run([10 * Mb, 10 * Mb, .. Quiet]).ShouldAllBe(t => !t);

    [Fact]
    public void Decide_SecondBurst_TrimsAgain() =>
        Run([.. Burst, .. Quiet, .. Burst, .. Quiet]).Count(t => t).ShouldBe(2);

    [Fact]
    public void Decide_BusyTickInTheQuiet_StartsTheWaitAgain()
    {
        var almost = Enumerable.Repeat(Mb / 2, QuietTicks - 1);

        var trims = Run([.. Burst, .. almost, 50 * Mb, .. almost, Mb / 2]);

        trims.Count(t => t).ShouldBe(1);
        trims[^1].ShouldBeTrue();
    }
}
