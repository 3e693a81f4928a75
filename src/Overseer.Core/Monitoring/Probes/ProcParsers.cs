using System.Globalization;

namespace Overseer.Core.Monitoring.Probes;

/// <summary>Reads the numbers out of <c>/proc</c> files' text.</summary>
public static class ProcParsers
{
    /// <summary>The first line of <c>/proc/stat</c>: (busy, total) jiffies; idle and iowait are not busy.</summary>
    public static (ulong Busy, ulong Total)? CpuTimes(string stat)
    {
        var line = stat.AsSpan();
        var end = line.IndexOf('\n');
        if (end >= 0)
            line = line[..end];
        if (!line.StartsWith("cpu "))
            return null;
        ulong total = 0, idle = 0;
        var i = 0;
        foreach (var field in line[4..].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!ulong.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                return null;
            // user nice system idle iowait irq softirq steal (guest time is already in user).
            if (i < 8)
                total += n;
            if (i is 3 or 4)
                idle += n;
            i++;
        }
        return i >= 4 ? (total - idle, total) : null;
    }

    /// <summary>A field of <c>/proc/meminfo</c> in kB.</summary>
    public static long? MeminfoKb(string meminfo, string field)
    {
        foreach (var line in meminfo.Split('\n'))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal) || line.Length <= field.Length || line[field.Length] != ':')
                continue;
            var value = line[(field.Length + 1)..].Trim();
            var space = value.IndexOf(' ');
            return long.TryParse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : null;
        }
        return null;
    }

    /// <summary>Bytes received plus sent, from <c>/proc/net/dev</c>: one interface, or all but loopback.</summary>
    public static ulong? NetworkBytes(string netDev, string? iface)
    {
        ulong sum = 0;
        var found = false;
        foreach (var line in netDev.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0)
                continue;
            var name = line[..colon].Trim();
            if (iface is null ? name == "lo" : name != iface)
                continue;
            var fields = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 9 || !ulong.TryParse(fields[0], CultureInfo.InvariantCulture, out var rx) || !ulong.TryParse(fields[8], CultureInfo.InvariantCulture, out var tx))
                continue;
            sum += rx + tx;
            found = true;
        }
        return found ? sum : null;
    }

    /// <summary>The 1-minute load average from <c>/proc/loadavg</c>.</summary>
    public static double? Load1(string loadavg)
    {
        var space = loadavg.IndexOf(' ');
        return double.TryParse(space < 0 ? loadavg : loadavg[..space], NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : null;
    }
}
