using System.Text;
using BenchmarkDotNet.Attributes;
using EventLoop.Net;

namespace EventLoop.Benchmarks;

/// <summary>
/// What a line read costs, through the whole path of a memory pair (write, flush, deliver, read):
/// per operation = one 30-character line. <c>ReadLineAsync()</c> should allocate its string and
/// nothing else (the baseline, <see cref="StreamReader.ReadLine"/> on a MemoryStream, allocates the
/// same string); <c>ReadLineAsync(buffer)</c> nothing at all. "Buffered" writes all the lines at
/// once, so most reads complete from the buffer (a yield every 32 reads for fairness); "one per
/// iteration" writes a line, then yields, so every read waits and is completed by arriving data.
/// </summary>
[MemoryDiagnoser]
public class LineReadBenchmarks
{
    private const int N = 1000;
    private static readonly byte[] Line = Encoding.ASCII.GetBytes(new string('x', 30) + "\n");

    private Loop _loop = null!;
    private Connection _writer = null!;
    private Connection _reader = null!;
    private readonly byte[] _lineBuffer = new byte[256];
    private MemoryStream _text = null!;
    private Func<LoopTask> _stringsBuffered = null!, _stringsOnePerIteration = null!, _bytesBuffered = null!, _bytesOnePerIteration = null!;

    [GlobalSetup]
    public void Setup()
    {
        _loop = new Loop();
        (_writer, _reader) = MemoryTransport.CreateConnectionPair(_loop);
        _text = new MemoryStream(Enumerable.Range(0, N).SelectMany(_ => Line).ToArray());
        _stringsBuffered = () => Run(readBytes: false, onePerIteration: false);
        _stringsOnePerIteration = () => Run(readBytes: false, onePerIteration: true);
        _bytesBuffered = () => Run(readBytes: true, onePerIteration: false);
        _bytesOnePerIteration = () => Run(readBytes: true, onePerIteration: true);
    }

    [GlobalCleanup]
    public void Cleanup() => _loop.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public int StreamReaderReadLine()
    {
        _text.Position = 0;
        using var reader = new StreamReader(_text, Encoding.UTF8, false, 4096, leaveOpen: true);
        int total = 0;
        while (reader.ReadLine() is { } line) total += line.Length;
        return total;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public void ReadLineAsync_Buffered() => _loop.RunUntilComplete(_stringsBuffered);

    [Benchmark(OperationsPerInvoke = N)]
    public void ReadLineAsync_OnePerIteration() => _loop.RunUntilComplete(_stringsOnePerIteration);

    [Benchmark(OperationsPerInvoke = N)]
    public void ReadLineIntoBuffer_Buffered() => _loop.RunUntilComplete(_bytesBuffered);

    [Benchmark(OperationsPerInvoke = N)]
    public void ReadLineIntoBuffer_OnePerIteration() => _loop.RunUntilComplete(_bytesOnePerIteration);

    private LoopTask Run(bool readBytes, bool onePerIteration)
    {
        var reading = readBytes ? ReadBytesAsync() : ReadStringsAsync();
        return onePerIteration ? WriteOnePerIterationAsync(reading) : WriteAllAsync(reading);
    }

    private async LoopTask WriteAllAsync(LoopTask reading)
    {
        for (int i = 0; i < N; i++) _writer.Write(Line);
        await reading;
    }

    private async LoopTask WriteOnePerIterationAsync(LoopTask reading)
    {
        for (int i = 0; i < N; i++)
        {
            _writer.Write(Line);
            await _loop.Yield();
        }
        await reading;
    }

    private async LoopTask ReadStringsAsync()
    {
        for (int i = 0; i < N; i++)
        {
            if (await _reader.ReadLineAsync() is null) throw new InvalidOperationException("The stream ended early.");
        }
    }

    private async LoopTask ReadBytesAsync()
    {
        for (int i = 0; i < N; i++)
        {
            if (await _reader.ReadLineAsync(_lineBuffer) != Line.Length) throw new InvalidOperationException("Wrong line.");
        }
    }
}
