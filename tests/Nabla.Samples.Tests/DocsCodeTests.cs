using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Nabla.Samples.Tests;

/// <summary>
/// Every C# code block of README.md and docs/*.md compiles, as a program of its own, against the libraries:
/// a reader can paste any of them into a project that references Nabla, Nabla.NN, Nabla.Visualization and Nabla.Onnx.
/// </summary>
public class DocsCodeTests
{
    // The usings a new console project gets (ImplicitUsings).
    private const string ImplicitUsings = "global using System; global using System.IO; global using System.Linq; global using System.Collections.Generic; global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";

    public static TheoryData<string, int> Blocks()
    {
        var data = new TheoryData<string, int>();
        foreach (var (file, line, _) in CodeBlocks()) data.Add(file, line);
        return data;
    }

    [Fact]
    public void TheDocsHaveCodeBlocks() => Assert.True(CodeBlocks().Count() >= 3, "no ```csharp blocks found: is the repository root right?");

    [Theory]
    [MemberData(nameof(Blocks))]
    public void CodeBlockCompiles(string file, int line)
    {
        var (_, _, code) = CodeBlocks().Single(b => b.File == file && b.Line == line);
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "DocsBlock",
            [CSharpSyntaxTree.ParseText(ImplicitUsings, parse), CSharpSyntaxTree.ParseText(code, parse, path: $"{file}:{line}")],
            References(),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var assembly = new MemoryStream();
        var result = compilation.Emit(assembly);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString());
        Assert.True(result.Success, $"the C# block at {file}:{line} does not compile:\n{string.Join("\n", errors)}\n\n{code}");
    }

    /// <summary>(file relative to the repository root, line of the opening fence, code) of every ```csharp block.</summary>
    private static IEnumerable<(string File, int Line, string Code)> CodeBlocks()
    {
        string root = Sample.RepositoryRoot;
        var files = new[] { Path.Combine(root, "README.md") }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md"));
        foreach (var path in files.Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(path);
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Trim() != "```csharp") continue;
                int end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
                Assert.True(end > i, $"unclosed code block at {path}:{i + 1}");
                yield return (Path.GetRelativePath(root, path).Replace('\\', '/'), i + 1, string.Join('\n', lines[(i + 1)..end]));
                i = end;
            }
        }
    }

    private static List<MetadataReference> References()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var nabla = Directory.GetFiles(AppContext.BaseDirectory, "Nabla*.dll").Where(f => !Regex.IsMatch(Path.GetFileName(f), "Tests"));
        return platform.Concat(nabla).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
    }
}
