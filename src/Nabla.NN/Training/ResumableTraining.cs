using System.Text.Json;

namespace Nabla.NN;

/// <summary>
/// Runs a trainer's epochs so that a run can stop at any batch and continue bit for bit. Epoch e's order is the
/// (e+1)-th shuffle drawn from <c>new Random(seed)</c>, as a plain loop over <see cref="ClassifierTrainer.TrainEpoch(Dataset, int, Random, Action{BatchProgress}?, CancellationToken)"/>
/// with one Random draws it, so a resumed run replays the earlier draws instead of saving a generator's state.
/// <see cref="Save"/> writes every variable of the graph (weights, optimizer moments and accumulators, step counter,
/// learning rate, batch-norm statistics) and the position to a checkpoint; <see cref="Resume"/> reads both back.
/// </summary>
public sealed class ResumableTraining
{
    private readonly ClassifierTrainer _trainer;
    private readonly Dataset _data;
    private readonly int _batchSize;
    private Random _random;
    private int[] _order;

    /// <summary>A run from the start: epoch 0, example 0, step 0.</summary>
    public ResumableTraining(ClassifierTrainer trainer, Dataset data, int batchSize, int seed)
        : this(trainer, data, batchSize, new TrainingPosition(seed, 0, 0, trainer.Step)) { }

    private ResumableTraining(ClassifierTrainer trainer, Dataset data, int batchSize, TrainingPosition position)
    {
        _trainer = trainer;
        _data = data;
        _batchSize = batchSize;
        Position = position;
        _random = new Random(position.Seed);
        _order = data.Shuffled(_random);
        for (int e = 0; e < position.Epoch; e++) _order = data.Shuffled(_random);
    }

    /// <summary>Where the run stands now; what <see cref="Save"/> writes.</summary>
    public TrainingPosition Position { get; private set; }

    private static readonly JsonSerializerOptions Strict = new() { RespectRequiredConstructorParameters = true };

    /// <summary>Trains to the end of the current epoch (or until <paramref name="cancel"/>), then moves to the next epoch's order.</summary>
    public EpochStats TrainEpoch(Action<BatchProgress>? onBatch = null, CancellationToken cancel = default)
    {
        int start = Position.Position;
        var stats = _trainer.TrainEpoch(_data, _batchSize, _order, start, onBatch, cancel);
        int reached = start + stats.Samples;
        if (reached >= _data.Count)
        {
            _order = _data.Shuffled(_random);
            Position = Position with { Epoch = Position.Epoch + 1, Position = 0, Step = _trainer.Step };
        }
        else Position = Position with { Position = reached, Step = _trainer.Step };
        return stats;
    }

    /// <summary>Writes every variable of the trainer's graph and the position to a checkpoint file (atomically).</summary>
    public void Save(string path) =>
        Checkpoint.Save(path, _trainer.Session, _trainer.Graph.Variables, JsonSerializer.Serialize(Position));

    /// <summary>
    /// Restores every variable of <paramref name="trainer"/>'s graph from a checkpoint written by <see cref="Save"/>, and
    /// continues from its position. The trainer must be built like the saved one (same model, optimizer and schedule).
    /// </summary>
    public static ResumableTraining Resume(string path, ClassifierTrainer trainer, Dataset data, int batchSize)
    {
        var saved = Checkpoint.Read(path);
        TrainingPosition? position;
        try { position = JsonSerializer.Deserialize<TrainingPosition>(saved.Metadata, Strict); }
        catch (JsonException) { position = null; }
        if (position is null || position.Epoch < 0 || position.Position < 0 || position.Position >= Math.Max(1, data.Count) || position.Step < 0)
            throw new CheckpointMismatchException($"Checkpoint '{path}' holds no training position (its metadata is '{saved.Metadata}'); save it with ResumableTraining.Save.");
        saved.Restore(trainer.Session, trainer.Graph.Variables);
        trainer.Step = position.Step;
        return new ResumableTraining(trainer, data, batchSize, position);
    }
}
