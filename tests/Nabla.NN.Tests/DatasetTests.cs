namespace Nabla.NN.Tests;

public class DatasetTests
{
    private static Dataset Three() => new([1, 2, 3, 4, 5, 6], [2], [0, 1, 2]);

    [Fact]
    public void BatchCopiesTheExamplesInOrder()
    {
        var (x, y) = Three().Batch([2, 0], 0, 2);
        Assert.Equal([5f, 6, 1, 2], x.ToArray<float>());
        Assert.Equal([2f, 0], y.ToArray<float>());
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(-1, 1)]
    [InlineData(0, 4)]
    [InlineData(1, -1)]
    public void ABatchPastTheEndIsADatasetError(int start, int count)
    {
        var d = Three();
        var ex = Assert.Throws<DatasetMismatchException>(() => d.Batch(d.Sequence(), start, count));
        Assert.Contains("3 examples", ex.Message);
    }

    [Fact]
    public void AnOrderEntryThatIsNoExampleIsADatasetError()
    {
        var ex = Assert.Throws<DatasetMismatchException>(() => Three().Batch([0, 3], 0, 2));
        Assert.Contains("order[1] is 3", ex.Message);
    }
}
