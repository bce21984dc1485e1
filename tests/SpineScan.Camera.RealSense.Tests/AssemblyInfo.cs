// The stub is one process-wide native library with global state: tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
