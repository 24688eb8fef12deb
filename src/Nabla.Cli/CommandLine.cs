namespace Nabla.Cli;

/// <summary>Dispatches the verbs of the <c>nabla</c> command.</summary>
public static class CommandLine
{
    public const string Usage = """
        usage: nabla <command> [options]

        commands:
          demo    the reference example g = a*b + c*d: values and gradients
          train   train an MNIST classifier (mlp or cnn); writes a checkpoint, curves and metrics
          eval    test accuracy and confusion matrix of a checkpoint from train
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            switch (args.FirstOrDefault())
            {
                case "demo": return DemoCommand.Run(output);
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
