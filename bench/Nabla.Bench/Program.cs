using BenchmarkDotNet.Running;
using Nabla.Bench;

// "bdn [BenchmarkDotNet args]" runs BenchmarkDotNet; anything else selects workloads for the runner.
if (args.Length > 0 && args[0] == "bdn")
{
    BenchmarkSwitcher.FromAssembly(typeof(WorkloadBenchmarks).Assembly).Run(args[1..]);
    return 0;
}
return Runner.Run(args.Length == 0 ? ["all"] : args, Console.Out);
