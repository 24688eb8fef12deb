using BenchmarkDotNet.Running;
using Nabla.Bench;

// "bdn [BenchmarkDotNet args]" runs BenchmarkDotNet; "profile KEY" times one workload per op type;
// "interchange" times saving and loading the MNIST models; anything else selects workloads for the runner.
if (args.Length > 0 && args[0] == "bdn")
{
    BenchmarkSwitcher.FromAssembly(typeof(WorkloadBenchmarks).Assembly).Run(args[1..]);
    return 0;
}
if (args.Length > 0 && args[0] == "interchange") return InterchangeTimes.Run(Console.Out);
if (args.Length > 1 && args[0] == "profile") return Runner.Profile(args[1], Console.Out);
return Runner.Run(args.Length == 0 ? ["all"] : args, Console.Out);
