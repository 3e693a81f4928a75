using CsCheck;

namespace Overseer.Core.Tests.Properties;

/// <summary>
/// Runs a property over values drawn from one PCG stream started at a fixed seed: the same
/// values on every run and machine, so a CI failure is a regression, never a new random draw.
/// (CsCheck's <c>Sample</c> takes its seed for the first iteration only.) To explore, change the
/// seed or use <c>Sample</c> locally.
/// </summary>
internal static class Repeatable
{
    public static void Check<T>(this Gen<T> gen, Action<T> property, long iterations = Gens.Iterations, string seed = Gens.Seed)
    {
        var pcg = PCG.Parse(seed);
        for (var i = 0; i < iterations; i++)
        {
            var value = gen.Generate(pcg, null, out _);
            try
            {
                property(value);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"Property failed at iteration {i} (seed {seed}) for: {Describe(value)}", ex);
            }
        }
    }

    public static void Check<T1, T2>(this Gen<(T1, T2)> gen, Action<T1, T2> property, long iterations = Gens.Iterations, string seed = Gens.Seed) =>
        gen.Check(t => property(t.Item1, t.Item2), iterations, seed);

    public static void Check<T1, T2, T3>(this Gen<(T1, T2, T3)> gen, Action<T1, T2, T3> property, long iterations = Gens.Iterations, string seed = Gens.Seed) =>
        gen.Check(t => property(t.Item1, t.Item2, t.Item3), iterations, seed);

    public static async Task CheckAsync<T>(this Gen<T> gen, Func<T, Task> property, long iterations = Gens.Iterations, string seed = Gens.Seed)
    {
        var pcg = PCG.Parse(seed);
        for (var i = 0; i < iterations; i++)
        {
            var value = gen.Generate(pcg, null, out _);
            try
            {
                await property(value);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"Property failed at iteration {i} (seed {seed}) for: {Describe(value)}", ex);
            }
        }
    }

    private static string Describe<T>(T value) => value switch
    {
        byte[] bytes => Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 512))),
        string text => System.Text.Json.JsonSerializer.Serialize(text),
        _ => value?.ToString() ?? "null",
    };
}
