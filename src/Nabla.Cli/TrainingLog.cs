using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nabla.Cli;

/// <summary>The metrics of one epoch: running training loss and accuracy, then the test set's after the epoch.</summary>
internal sealed record EpochRecord(int Epoch, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy, double Seconds, double SamplesPerSecond, double LearningRate);

/// <summary>What a training run writes to metrics.json.</summary>
internal sealed record TrainingLog(string Model, string Optimizer, double LearningRate, int Batch, int Seed, string Data, int TrainExamples, int TestExamples,
    bool Interrupted, List<EpochRecord> Epochs)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new FiniteOrNull() },
    };

    /// <summary>Writes NaN and ±∞ as JSON null (JSON has no such numbers; "NaN" strings break other readers) and reads null back as NaN.</summary>
    private sealed class FiniteOrNull : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }

        public override bool HandleNull => true;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static TrainingLog FromJson(string json) =>
        JsonSerializer.Deserialize<TrainingLog>(json, Options) ?? throw new NablaException("metrics.json is empty.");

    /// <summary>Lets <paramref name="write"/> fill a temporary file beside <paramref name="path"/>, then renames it to the path.</summary>
    public static void WriteAtomically(string path, Action<string> write)
    {
        var temp = path + ".tmp";
        try
        {
            write(temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
