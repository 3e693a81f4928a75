using Overseer.Core.Budgets;

namespace Overseer.Core.Tests.Budgets;

public sealed class CostPredictorTests
{
    [Fact]
    public void Of_OddCount_MedianIsTheMiddle_P90IsTheNearestRank()
    {
        var prediction = CostPredictor.Of("template", [0.30m, 0.10m, 0.50m, 0.20m, 0.90m]);

        prediction.ShouldBe(new Contracts.Api.CostPredictionDto("template", 5, 0.30m, 0.90m));
    }

    [Fact]
    public void Of_EvenCount_MedianIsTheMeanOfTheMiddleTwo()
    {
        var costs = Enumerable.Range(1, 20).Select(i => i / 100m).ToArray();

        var prediction = CostPredictor.Of("project", costs);

        prediction.MedianUsd.ShouldBe(0.105m);
        prediction.P90Usd.ShouldBe(0.18m);
        prediction.Runs.ShouldBe(20);
    }

    [Fact]
    public void Of_OneRun_IsThatRun()
    {
        CostPredictor.Of("project", [0.42m]).ShouldBe(new Contracts.Api.CostPredictionDto("project", 1, 0.42m, 0.42m));
    }
}
