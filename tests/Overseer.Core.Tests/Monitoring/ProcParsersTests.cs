using Overseer.Core.Monitoring.Probes;

namespace Overseer.Core.Tests.Monitoring;

/// <summary>The numbers host checks read out of /proc, from real files' shapes and from this machine.</summary>
public sealed class ProcParsersTests
{
    [Fact]
    public void CpuTimes_StatLine_CountsIdleAndIowaitAsNotBusy()
    {
        var times = ProcParsers.CpuTimes("cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3 4\n");
        times.ShouldBe(((ulong)150, (ulong)1000));
    }

    [Fact]
    public void MeminfoKb_ReadsTheNamedField()
    {
        const string meminfo = "MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    4000000 kB\nSwapTotal:             0 kB\n";
        ProcParsers.MeminfoKb(meminfo, "MemAvailable").ShouldBe(4000000);
        ProcParsers.MeminfoKb(meminfo, "Mem").ShouldBeNull();
    }

    [Fact]
    public void NetworkBytes_SumsEveryInterfaceButLoopback_OrTheOneNamed()
    {
        const string netDev = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo: 5000      10    0    0    0     0          0         0     5000      10    0    0    0     0       0          0
              eth0: 1000       5    0    0    0     0          0         0     2000       7    0    0    0     0       0          0
              eth1:  300       5    0    0    0     0          0         0       40       7    0    0    0     0       0          0
            """;
        ProcParsers.NetworkBytes(netDev, null).ShouldBe((ulong)3340);
        ProcParsers.NetworkBytes(netDev, "eth1").ShouldBe((ulong)340);
        ProcParsers.NetworkBytes(netDev, "wlan0").ShouldBeNull();
    }

    [Fact]
    public void Parsers_OnThisMachinesProc_ReadNumbers()
    {
        ProcParsers.CpuTimes(File.ReadAllText("/proc/stat")).ShouldNotBeNull();
        ProcParsers.MeminfoKb(File.ReadAllText("/proc/meminfo"), "MemTotal").ShouldNotBeNull().ShouldBeGreaterThan(0);
        ProcParsers.Load1(File.ReadAllText("/proc/loadavg")).ShouldNotBeNull();
    }
}
