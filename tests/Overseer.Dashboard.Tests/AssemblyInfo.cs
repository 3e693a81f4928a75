// One browser and one server process per test class; two classes at a time on two cores.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
