// Each class shares one server; classes run side by side, two at a time on a machine of two cores.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
