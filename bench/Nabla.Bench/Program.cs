using BenchmarkDotNet.Running;
using Nabla.Bench;

// "bdn [BenchmarkDotNet args]" runs BenchmarkDotNet; "profile KEY" times one workload per op type;
// "floor KEY [SECONDS]" prints the lowest step time over many short batches (to compare builds on a noisy machine);
// "interchange" times saving and loading the MNIST models; anything else selects workloads for the runner.
if (args.Length > 0 && args[0] == "bdn")
{
    BenchmarkSwitcher.FromAssembly(typeof(WorkloadBenchmarks).Assembly).Run(args[1..]);
    return 0;
}
if (args.Length > 0 && args[0] == "interchange") return InterchangeTimes.Run(Console.Out);
if (args.Length > 1 && args[0] == "profile") return Runner.Profile(args[1], Console.Out);
if (args.Length > 1 && args[0] == "floor") return Runner.Floor(args[1], args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3, Console.Out);
return Runner.Run(args.Length == 0 ? ["all"] : args, Console.Out);
