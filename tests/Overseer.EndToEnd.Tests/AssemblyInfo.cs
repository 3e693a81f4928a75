// Each test runs a ~250 MB native CLI; the machine's two cores are shared, so run two at a time.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
