namespace Nabla.NN;

/// <summary>
/// Where a training run stands, enough to continue it exactly: the seed of its data order, the epochs completed,
/// the examples of the current epoch already trained on, and the optimizer steps taken (the schedule's position).
/// </summary>
public sealed record TrainingPosition(int Seed, int Epoch, int Position, int Step);
