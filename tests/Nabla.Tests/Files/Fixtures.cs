namespace Nabla.Tests.Files;

/// <summary>Paths of the committed fixture files (copied next to the test binaries) and a scratch folder per test.</summary>
public sealed class Scratch : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("nabla-files-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);

    public static string Fixture(string folder, string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", folder, name);
}
