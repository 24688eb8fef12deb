namespace Nabla.NN;

/// <summary>A checkpoint that cannot be written or restored; the session's variables are left unchanged.</summary>
public class CheckpointException : NablaException
{
    /// <summary>An error with the message shown to the user.</summary>
    public CheckpointException(string message) : base(message) { }

    /// <summary>An error caused by <paramref name="inner"/> (an IO error while writing or reading the file).</summary>
    public CheckpointException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A checkpoint file that is truncated, corrupt (checksum mismatch) or not a Nabla checkpoint at all.</summary>
public sealed class CheckpointCorruptException(string message) : CheckpointException(message);

/// <summary>A valid checkpoint whose variables (names, shapes, dtypes) do not match the model being restored.</summary>
public sealed class CheckpointMismatchException(string message) : CheckpointException(message);

/// <summary>A data set that cannot be read or used.</summary>
public class DatasetException(string message) : NablaException(message);

/// <summary>An IDX file with a wrong magic number, bad dimensions or a length that does not match its header.</summary>
public sealed class IdxFormatException(string message) : DatasetException(message);

/// <summary>Files of one data set that do not belong together, e.g. a label count that differs from the image count.</summary>
public sealed class DatasetMismatchException(string message) : DatasetException(message);

/// <summary>A training step whose loss was NaN or ∞; the step changed no weight (they are those of the step before).</summary>
public sealed class TrainingDivergedException : NablaException
{
    /// <summary>The training step <paramref name="step"/> failed because loss node <paramref name="lossNode"/> was not finite (<paramref name="inner"/> says where).</summary>
    public TrainingDivergedException(string message, string lossNode, int step, Exception inner) : base(message, inner)
    {
        LossNode = lossNode;
        Step = step;
    }

    /// <summary>The name of the loss node that was not finite.</summary>
    public string LossNode { get; }

    /// <summary>The training step (from 0) that failed.</summary>
    public int Step { get; }
}
