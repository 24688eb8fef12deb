namespace Nabla.NN.Tests;

/// <summary>A fresh folder under the system temp folder, deleted on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("nabla-nn-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>The shipped MNIST subset, found by walking up from the test binaries to the repository root.</summary>
public static class Shipped
{
    public static string MnistSubset
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, "data", "mnist-subset");
                if (Directory.Exists(candidate)) return candidate;
            }
            throw new DirectoryNotFoundException("data/mnist-subset not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The shipped word list, data/words/words.txt.</summary>
    public static string Words
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, "data", "words", "words.txt");
                if (System.IO.File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException("data/words/words.txt not found above " + AppContext.BaseDirectory);
        }
    }
}
