using Nabla.NN;

namespace Nabla.Cli;

/// <summary>The options of <c>nabla train</c>, with defaults per model chosen to reach 98% (mlp) and 99% (cnn) on the full MNIST.</summary>
internal sealed record TrainSettings(string Model, string Data, int Epochs, int Batch, double LearningRate, string Optimizer, int Seed, string Out, int? Limit)
{
    public static readonly string[] OptionNames = ["model", "data", "epochs", "batch", "lr", "optimizer", "seed", "out", "limit"];
    public static readonly string[] Optimizers = ["sgd", "momentum", "adam", "rmsprop", "adamw"];

    public static TrainSettings Parse(IReadOnlyList<string> args)
    {
        var o = new OptionReader("train", args, OptionNames);
        var model = o.Choice("model", "mlp", MnistModels.Names);
        var optimizer = o.Choice("optimizer", "adam", Optimizers);
        double defaultRate = optimizer switch { "sgd" => 0.1, "momentum" => 0.05, _ => 1e-3 };
        return new TrainSettings(
            model,
            o.String("data") ?? DataPaths.DefaultData(),
            o.Int("epochs", model == "cnn" ? 6 : 10),
            o.Int("batch", 128),
            o.Double("lr", defaultRate),
            optimizer,
            o.Int("seed", 1, min: 0),
            o.String("out") ?? Path.Combine("out", model),
            o.String("limit") is null ? null : o.Int("limit", 0));
    }

    /// <summary>The optimizer, with a cosine decay of the learning rate over all the run's steps.</summary>
    public Optimizer CreateOptimizer(int totalSteps)
    {
        var schedule = LearningRateSchedule.Cosine(LearningRate, Math.Max(1, totalSteps), alpha: 0.01);
        return Optimizer switch
        {
            "sgd" => new Sgd(schedule),
            "momentum" => new Momentum(schedule, 0.9, nesterov: true),
            "rmsprop" => new RmsProp(schedule),
            "adamw" => new AdamW(schedule, weightDecay: 1e-4),
            _ => new Adam(schedule),
        };
    }
}
