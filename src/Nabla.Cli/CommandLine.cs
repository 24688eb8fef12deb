namespace Nabla.Cli;

/// <summary>Dispatches the verbs of the <c>nabla</c> command.</summary>
public static class CommandLine
{
    public const string Usage = """
        usage: nabla <command> [options]

        commands:
          demo [--out DIR]                 the reference example g = a*b + c*d: values, gradients and its picture
          grad "<expr>" a=3 ... [--dot F] [--svg F] [--png F] [--html F]
                                           values and gradients of an expression, and pictures of its graph
          explain "<expr>" a=3 ...         the chain rule along every path, with numbers, and reverse vs forward mode cost
          train [--model mlp|cnn] [--data DIR] [--epochs N] ...
                                           train an MNIST classifier; writes a checkpoint, curves and metrics
          eval --checkpoint FILE [--data DIR]
                                           test accuracy and confusion matrix of a checkpoint from train
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            switch (args.FirstOrDefault())
            {
                case "demo": return DemoCommand.Run(args[1..], output, error);
                case "grad": return GradCommand.Run(args[1..], output, error);
                case "explain": return ExplainCommand.Run(args[1..], output);
                case "train": return TrainCommand.Run(args[1..], output);
                case "eval": return EvalCommand.Run(args[1..], output);
                case null or "help" or "--help" or "-h": output.WriteLine(Usage); return args.Length == 0 ? 1 : 0;
                default: error.WriteLine($"nabla: unknown command '{args[0]}'.\n\n{Usage}"); return 2;
            }
        }
        catch (NablaException e)
        {
            error.WriteLine($"nabla: {e.Message}");
            return 1;
        }
    }
}
