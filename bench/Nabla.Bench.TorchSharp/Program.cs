using Nabla.Bench.TorchSharp;

// Usage: no arguments or `all` runs every workload; otherwise each argument is a key prefix (matmul, mlp, ref, ...).
return Runner.Run(args.Length == 0 ? ["all"] : args, Console.Out);
