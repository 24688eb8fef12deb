// An MNIST classifier from the library API: a 784-128-10 network with ReLU, trained with Adam on the
// MNIST subset shipped in data/mnist-subset (6,000 training and 1,000 test images), then evaluated.
// Usage: dotnet run --project samples/MnistMlp [-- DATA_DIR]
using Nabla;
using Nabla.NN;

string dataDir = args.Length > 0 ? args[0] : FindShippedSubset();
var (trainSet, testSet) = Mnist.Load(dataDir);
var (mean, std) = trainSet.Moments();
const int batchSize = 100, epochs = 3;
int steps = epochs * (trainSet.Count / batchSize);

var g = new Graph();
var x = g.Placeholder("x", new Shape(-1, 784));
var labels = g.Placeholder("labels", new Shape(-1), DType.Int32);   // class ids
var model = new Sequential(seed: 1,
    new Standardize(mean, std),
    new Dense(128, Activations.Relu, Initializer.HeNormal),
    new Dense(10));
var logits = model.Apply(x, training: true);
var loss = Losses.SoftmaxCrossEntropy(logits, labels);
var optimizer = new Adam(LearningRateSchedule.Cosine(1e-3, totalSteps: steps));
var train = optimizer.Minimize(loss, model.TrainableVariables);

using var session = new Session(g);
var random = new Random(1);
int step = 0;
for (int epoch = 1; epoch <= epochs; epoch++)
{
    int[] order = trainSet.Shuffled(random);
    double lossSum = 0;
    for (int start = 0; start + batchSize <= trainSet.Count; start += batchSize)
    {
        var (batchX, batchY) = trainSet.Batch(order, start, batchSize);
        optimizer.SetStep(session, step++);                      // the schedule sets the learning-rate variable
        lossSum += session.Run([loss, train], new Feeds { [x] = batchX, [labels] = batchY })[0].Scalar<float>();
    }
    Console.WriteLine($"epoch {epoch}: mean training loss {lossSum / (trainSet.Count / batchSize):F4}");
}

// Accuracy on the test set: the predicted class is the largest logit.
var (testX, testY) = testSet.Batch(testSet.Sequence(), 0, testSet.Count);
var predicted = ClassifierTrainer.ArgMax(session.Run(logits, new Feeds { [x] = testX }));
int correct = predicted.Where((p, i) => p == (int)testY[i]).Count();
Console.WriteLine($"test accuracy: {correct} of {testSet.Count}");

static string FindShippedSubset()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "data", "mnist-subset"))) return Path.Combine(dir.FullName, "data", "mnist-subset");
    throw new DirectoryNotFoundException("data/mnist-subset not found; pass the MNIST folder as the first argument.");
}
