namespace Nabla.Cli;

/// <summary>Finds the MNIST subset shipped in data/mnist-subset, from the current folder or the program's.</summary>
internal static class DataPaths
{
    public const string Subset = "data/mnist-subset";

    /// <summary>The shipped word list of <c>nabla lm</c>.</summary>
    public const string Words = "data/words/words.txt";

    /// <summary>The shipped word list, from the current folder or the program's.</summary>
    public static string DefaultWords()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, Words);
                if (File.Exists(candidate)) return candidate;
            }
        return Words;
    }

    public static string DefaultData()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, Subset);
                if (Directory.Exists(candidate)) return candidate;
            }
        return Subset;
    }
}
