namespace Nabla.NN;

/// <summary>
/// A trained classifier as a whole-model file: signature "serve" (x → logits, the inference branch) and, when the
/// trainer has an optimizer, "train" (x, labels → loss, step). Loading it needs no architecture in code.
/// </summary>
public static class ClassifierModelFile
{
    /// <summary>Metadata key holding the shape of one example, e.g. "784" or "1,28,28".</summary>
    public const string ExampleShapeKey = "example_shape";

    /// <summary>Saves the trainer's graph with its variables at their current values and the signatures above.</summary>
    public static void Save(string path, ClassifierTrainer trainer, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        var signatures = new Dictionary<string, Signature>
        {
            ["serve"] = new(new Dictionary<string, Node> { ["x"] = trainer.X }, new Dictionary<string, Node> { ["logits"] = trainer.Logits }),
        };
        if (trainer.Loss is not null && trainer.TrainOp is not null)
            signatures["train"] = new(new Dictionary<string, Node> { ["x"] = trainer.X, ["labels"] = trainer.Labels },
                new Dictionary<string, Node> { ["loss"] = trainer.Loss, ["step"] = trainer.TrainOp });
        var meta = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>())
        {
            [ExampleShapeKey] = string.Join(",", trainer.X.Shape.Dims[1..]),
        };
        ModelFile.Save(path, trainer.Session, signatures, meta);
    }

    /// <summary>The predicted class of each example of <paramref name="x"/> [N, example shape] by the model's "serve" signature.</summary>
    public static int[] Predict(LoadedModel model, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(model);
        var serve = model.Signature("serve");
        return ClassifierTrainer.ArgMax(model.Session.Run(serve.Output("logits"), new Feeds { [serve.Input("x")] = x }));
    }

    /// <summary>The shape of one example the model takes, from its metadata or its input placeholder.</summary>
    public static int[] ExampleShape(LoadedModel model) =>
        model.Metadata.TryGetValue(ExampleShapeKey, out var s) && s.Length > 0
            ? s.Split(',').Select(int.Parse).ToArray()
            : model.Signature("serve").Input("x").Shape.Dims[1..];
}
