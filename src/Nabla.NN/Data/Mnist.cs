namespace Nabla.NN;

/// <summary>Loads MNIST from a folder of IDX files (raw or .gz), with pixels scaled to [0, 1].</summary>
public static class Mnist
{
    /// <summary>The number of classes: the digits 0 to 9.</summary>
    public const int Classes = 10;

    /// <summary>The training and test sets in <paramref name="directory"/>; examples are [784] rows of pixels in [0, 1].</summary>
    public static (Dataset Train, Dataset Test) Load(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DatasetException($"MNIST folder '{directory}' does not exist. Run 'bash scripts/get-mnist.sh' for the full set (data/mnist) or use the subset in data/mnist-subset.");
        return (LoadPair(directory, "train"), LoadPair(directory, "t10k"));
    }

    /// <summary>One image file and its label file, checked against each other.</summary>
    public static Dataset LoadPair(string directory, string prefix) =>
        FromIdx(Idx.Read(Find(directory, $"{prefix}-images-idx3-ubyte")), Idx.Read(Find(directory, $"{prefix}-labels-idx1-ubyte")), $"{directory}/{prefix}");

    /// <summary>Images [N, rows, cols] and labels [N] as a data set; <paramref name="source"/> names them in errors.</summary>
    public static Dataset FromIdx(IdxArray images, IdxArray labels, string source)
    {
        if (images.Dims.Length != 3)
            throw new IdxFormatException($"MNIST images '{source}' have {images.Dims.Length} dimensions [{string.Join(", ", images.Dims)}]; expected 3 (count, rows, columns).");
        if (labels.Dims.Length != 1)
            throw new IdxFormatException($"MNIST labels '{source}' have {labels.Dims.Length} dimensions [{string.Join(", ", labels.Dims)}]; expected 1 (count).");
        if (images.Count != labels.Count)
            throw new DatasetMismatchException($"MNIST '{source}': {images.Count} images but {labels.Count} labels; each image needs exactly one label. Use the image and label files of the same set.");
        int bad = Array.FindIndex(labels.Data, l => l >= Classes);
        if (bad >= 0)
            throw new IdxFormatException($"MNIST labels '{source}': label {bad} is {labels.Data[bad]}; labels must be 0 to {Classes - 1}.");
        var features = new float[images.Data.Length];
        for (int i = 0; i < features.Length; i++) features[i] = images.Data[i] / 255f;
        return new Dataset(features, [images.Dims[1] * images.Dims[2]], Array.ConvertAll(labels.Data, l => (int)l));
    }

    private static string Find(string directory, string name)
    {
        foreach (var candidate in new[] { name, name + ".gz", name.Replace("-idx", ".idx"), name.Replace("-idx", ".idx") + ".gz" })
        {
            var path = Path.Combine(directory, candidate);
            if (File.Exists(path)) return path;
        }
        throw new DatasetException($"MNIST folder '{directory}' has no '{name}' (nor '{name}.gz'). Run 'bash scripts/get-mnist.sh' or point --data at the folder with the IDX files.");
    }
}
