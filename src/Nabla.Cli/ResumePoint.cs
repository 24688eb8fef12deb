using System.Text.Json;
using Nabla.NN;

namespace Nabla.Cli;

/// <summary>
/// The resume point <c>nabla train</c> leaves in its --out folder: resume.ckpt (every variable of the training graph and
/// the data-order position, see <see cref="ResumableTraining"/>) and run.json (the settings the run was started with).
/// </summary>
internal static class ResumePoint
{
    private const string CheckpointName = "resume.ckpt", SettingsName = "run.json";

    public static void Save(TrainSettings settings, ResumableTraining run)
    {
        run.Save(Path.Combine(settings.Out, CheckpointName));
        TrainingLog.WriteAtomically(Path.Combine(settings.Out, SettingsName), temp => File.WriteAllText(temp, JsonSerializer.Serialize(settings)));
    }

    /// <summary>The settings saved in <paramref name="dir"/>, writing back to it, with more epochs when <paramref name="epochs"/> is given.</summary>
    public static TrainSettings Settings(string dir, int? epochs)
    {
        var path = Path.Combine(dir, SettingsName);
        if (!File.Exists(path) || !File.Exists(Path.Combine(dir, CheckpointName)))
            throw new CommandArgumentException($"'{dir}' holds no resume point ({SettingsName} and {CheckpointName}); give the --out folder of an earlier 'nabla train'.");
        var settings = JsonSerializer.Deserialize<TrainSettings>(File.ReadAllText(path))
            ?? throw new CommandArgumentException($"'{path}' is empty; give the --out folder of an earlier 'nabla train'.");
        return settings with { Out = dir, Epochs = epochs ?? settings.Epochs };
    }

    public static ResumableTraining Resume(string dir, ClassifierTrainer trainer, Dataset train, int batch) =>
        ResumableTraining.Resume(Path.Combine(dir, CheckpointName), trainer, train, batch);
}
